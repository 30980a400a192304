import { AppError } from "../errors.ts";
import { CHUNK_QUESTION_MAX, CHUNK_TEXT_MAX, updateChunk } from "../services/prompt-chunks.ts";
import { adminChatOrigin, type Command, failed, UUID_RE } from "./types.ts";

/** EDIT_CHUNK id=... [question=...] [text=...] [position=N] */
export const editChunkCommand: Command = {
  name: "EDIT_CHUNK",
  channels: ["admin"],
  async run(ctx, block) {
    const id = block.params.id ?? block.params.chunk_id ?? block.args[0];
    if (!id || !UUID_RE.test(id)) return failed("EDIT_CHUNK needs id= with the chunk's UUID.");
    const { question, text } = block.params;
    const position = block.params.position === undefined ? undefined : Number(block.params.position);
    if (question === undefined && text === undefined && position === undefined) {
      return failed("EDIT_CHUNK needs question=, text= or position= to change.");
    }
    if (question !== undefined && [...question].length > CHUNK_QUESTION_MAX) {
      return failed(`question is longer than ${CHUNK_QUESTION_MAX} characters.`);
    }
    if (text !== undefined && [...text].length > CHUNK_TEXT_MAX)
      return failed(`text is longer than ${CHUNK_TEXT_MAX} characters.`);
    try {
      const chunk = await updateChunk(
        ctx.db(),
        ctx.tenantId,
        id,
        { question, text, position },
        adminChatOrigin(ctx),
      );
      await ctx.chunksChanged();
      return { ok: true, text: `Chunk ${chunk.id} updated.`, data: { chunk } };
    } catch (err) {
      if (err instanceof AppError && err.code === "not_found") return failed(`No chunk with id ${id}.`);
      if (err instanceof AppError && err.status < 500) return failed(err.message);
      throw err;
    }
  },
};
