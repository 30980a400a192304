/**
 * The command registry and the one way to run a block: by name, only when the channel allows it, with a
 * timeout, never throwing. A command the channel does not allow is not run, whoever asked for it.
 */

import type { BlockOutcome } from "../chat/dialog-contract.ts";
import type { ParsedBlock } from "../chat/execute-detector.ts";
import { log } from "../lib/log.ts";
import { addChunkCommand } from "./add-chunk.ts";
import { deleteChunkCommand } from "./delete-chunk.ts";
import { ragGetDocumentCommand, ragListDocumentsCommand, ragSearchCommand } from "./documents.ts";
import { editChunkCommand } from "./edit-chunk.ts";
import { listGalleriesCommand, showGalleryCommand } from "./galleries.ts";
import { mcpCommand } from "./mcp.ts";
import { setStartersCommand } from "./set-starters.ts";
import { say } from "./texts.ts";
import type { Channel, Command, CommandContext, CommandResult } from "./types.ts";

export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [
    addChunkCommand,
    editChunkCommand,
    deleteChunkCommand,
    setStartersCommand,
    listGalleriesCommand,
    showGalleryCommand,
    ragListDocumentsCommand,
    ragGetDocumentCommand,
    ragSearchCommand,
    mcpCommand,
  ].map((c) => [c.name, c]),
);

export const COMMAND_TIMEOUT_MS = 8000;

/** Names the channel may run, for prompts and docs. */
export function commandsFor(channel: Channel): string[] {
  return [...COMMANDS.values()].filter((c) => c.channels.includes(channel)).map((c) => c.name);
}

export type { BlockOutcome };

/** Runs one block for `ctx.channel`. Refusals and failures are logged, never thrown. */
export async function runBlock(ctx: CommandContext, block: ParsedBlock | null): Promise<BlockOutcome> {
  if (!block) {
    log("warn", "execute block without a command", { tenantId: ctx.tenantId, channel: ctx.channel });
    return { kind: "refused", name: null, reason: "malformed" };
  }
  const command = COMMANDS.get(block.name);
  if (!command?.channels.includes(ctx.channel)) {
    log("warn", "execute block refused", {
      tenantId: ctx.tenantId,
      channel: ctx.channel,
      command: block.name.slice(0, 64),
    });
    return { kind: "refused", name: block.name, reason: command ? "not_allowed" : "unknown" };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<CommandResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, text: say(ctx.locale, "tookTooLong", { command: command.name }) }),
        COMMAND_TIMEOUT_MS,
      );
    });
    const result = await Promise.race([command.run(ctx, block), timeout]);
    return { kind: "ran", name: command.name, result };
  } catch (err) {
    log("error", "command failed", {
      tenantId: ctx.tenantId,
      command: command.name,
      error: err instanceof Error ? err.message : String(err),
    });
    return {
      kind: "ran",
      name: command.name,
      result: { ok: false, text: say(ctx.locale, "commandFailed", { command: command.name }) },
    };
  } finally {
    clearTimeout(timer);
  }
}
