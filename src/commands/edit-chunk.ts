import { updateChunk } from "../services/prompt/prompt-chunks.ts";
import { lengthProblem, readPosition, serviceRefusal } from "./chunk-checks.ts";
import { cleanId, readChunkBlock } from "./chunk-grammar.ts";
import { say } from "./texts.ts";
import { adminChatOrigin, type Command, failed, UUID_RE } from "./types.ts";

/**
 * EDIT_CHUNK — line 1 the chunk's UUID, lines 2..n the new text (the question stays); or `id=` with any of
 * `question=`, `text=`, `position=`.
 */
export const editChunkCommand: Command = {
  name: "EDIT_CHUNK",
  channels: ["admin"],
  async run(ctx, block) {
    const args = readChunkBlock(block, "id", ["id", "question", "text", "position"]);
    const id = cleanId(args.id);
    if (!id || !UUID_RE.test(id)) return failed(say(ctx.locale, "needsChunkId", { command: "EDIT_CHUNK" }));
    const question = args.question || undefined;
    const text = args.text || undefined;
    const position = readPosition(args.position);
    if (position === null) return failed(say(ctx.locale, "badPosition"));
    if (question === undefined && text === undefined && position === undefined)
      return failed(say(ctx.locale, "noText", { what: "UUID" }));
    const problem = lengthProblem(ctx.locale, { question, text });
    if (problem) return problem;
    try {
      const chunk = await updateChunk(
        ctx.db(),
        ctx.tenantId,
        id,
        { question, text, position },
        adminChatOrigin(ctx),
      );
      await ctx.chunksChanged();
      return {
        ok: true,
        text: say(ctx.locale, "chunkUpdated", { question: chunk.question }),
        data: { chunk },
      };
    } catch (err) {
      return serviceRefusal(err, ctx.locale, "EDIT_CHUNK");
    }
  },
};
