import { AppError } from "../errors.ts";
import { addChunk, CHUNK_QUESTION_MAX, CHUNK_TEXT_MAX } from "../services/prompt-chunks.ts";
import { adminChatOrigin, type Command, failed } from "./types.ts";

/** ADD_CHUNK question=... text=... [position=N]: the admin bot saves what it learned from the owner. */
export const addChunkCommand: Command = {
  name: "ADD_CHUNK",
  channels: ["admin"],
  async run(ctx, block) {
    const question = block.params.question ?? block.args[0];
    const text = block.params.text ?? block.args[1];
    if (!question || !text) return failed("ADD_CHUNK needs question= and text=.");
    if ([...question].length > CHUNK_QUESTION_MAX)
      return failed(`question is longer than ${CHUNK_QUESTION_MAX} characters.`);
    if ([...text].length > CHUNK_TEXT_MAX) return failed(`text is longer than ${CHUNK_TEXT_MAX} characters.`);
    const position = block.params.position === undefined ? undefined : Number(block.params.position);
    try {
      const chunk = await addChunk(
        ctx.db(),
        ctx.tenantId,
        { question, text, position },
        adminChatOrigin(ctx),
      );
      await ctx.chunksChanged();
      return { ok: true, text: `Chunk added (id ${chunk.id}, position ${chunk.position}).`, data: { chunk } };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return failed(err.message);
      throw err;
    }
  },
};
