/** The command registry's contract: one module per command, each with its channels and argument schema. */
import type { Channel, CommandResult } from "../chat/dialog-contract.ts";
import type { ParsedBlock } from "../chat/execute-detector.ts";

export type { Channel, CommandResult };

import type { Database } from "../db/client.ts";
import type { KnowledgeProvider } from "../services/knowledge/types.ts";
import type { McpAccess } from "../services/mcp/types.ts";
import type { ChangeOrigin } from "../services/prompt/chunk-revisions.ts";

/** What a command may touch. `tenantId` always comes from the request, never from the block. */
export interface CommandContext {
  tenantId: string;
  channel: Channel;
  /** The tenant's language for result texts: "ru" or "en". */
  locale: "ru" | "en";
  /** The signed-in user of the turn (the owner in the admin chat), null for anonymous visitors. */
  userId: string | null;
  db: () => Database;
  knowledge: () => KnowledgeProvider;
  /** The tenant's MCP tools for this turn (docs/mcp.md); absent: none. */
  mcp?: McpAccess;
  /** The tenant's chunk quota (src/services/platform/quotas.ts); absent: the platform default. */
  maxChunks?: number;
  /** Tells the prompt cache that the tenant's chunks changed (after the change committed). */
  chunksChanged: () => Promise<void>;
}

export interface Command {
  name: string;
  channels: readonly Channel[];
  run(ctx: CommandContext, block: ParsedBlock): Promise<CommandResult>;
}

/** First of: a named parameter (any of `keys`), else the first positional argument. */
export function argument(block: ParsedBlock, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = block.params[key];
    if (value !== undefined && value !== "") return value;
  }
  return block.args[0];
}

export { UUID_RE } from "../lib/uuid.ts";

export function failed(text: string): CommandResult {
  return { ok: false, text };
}

/** A chunk change made by the admin chat, credited to the owner who is talking to it. */
export function adminChatOrigin(ctx: CommandContext): ChangeOrigin {
  return { authorId: ctx.userId, channel: "admin_chat" };
}
