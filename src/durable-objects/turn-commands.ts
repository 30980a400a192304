/**
 * What the commands of one model answer may touch, for a dialog turn (dialog-answer.ts) and a sandbox
 * turn (routes/cabinet-prompt-sandbox.ts) alike: the database opened only when a command needs it, the
 * tenant's knowledge and MCP tools from its snapshot, its chunk quota, and the prompt cache to drop after
 * a chunk change.
 */
import type { Channel, CommandContext } from "../commands/types.ts";
import { type DbHandle, openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { createKnowledge } from "../services/knowledge/factory.ts";
import { mcpAccess } from "../services/mcp/access.ts";
import { platformQuotas, quotasFor } from "../services/platform/quotas.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

/** A command context and the database handle it may have opened (close it when the answer ends). */
export interface TurnCommands {
  context: CommandContext;
  /** Closes the handle if a command opened one; never rejects. */
  close: () => Promise<void>;
}

/** The command context of one answer. */
export function turnCommands(
  env: Bindings,
  snapshot: TenantSnapshot,
  turn: { tenantId: string; channel: Channel; userId: string | null },
): TurnCommands {
  let db: DbHandle | undefined;
  const database = () => {
    db ??= openDatabase(env, () => turn.tenantId);
    return db.db;
  };
  const context: CommandContext = {
    tenantId: turn.tenantId,
    channel: turn.channel,
    locale: snapshot.locale === "en" ? "en" : "ru",
    userId: turn.userId,
    db: database,
    knowledge: () => createKnowledge(env, database, snapshot.settings),
    mcp: mcpAccess(env, turn.tenantId, snapshot.mcpServers ?? []),
    maxChunks: quotasFor(snapshot.settings, platformQuotas(env)).chunks,
    chunksChanged: async () => {
      // The tenant object re-reads the chunks: the command's change must be committed first.
      await db?.finish();
      await env.TENANTS.getByName(turn.tenantId).invalidate();
    },
  };
  return { context, close: async () => db?.close() };
}
