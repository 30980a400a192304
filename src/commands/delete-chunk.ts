import { AppError } from "../errors.ts";
import { deleteChunk } from "../services/prompt-chunks.ts";
import { adminChatOrigin, type Command, failed, UUID_RE } from "./types.ts";

/** DELETE_CHUNK id=... */
export const deleteChunkCommand: Command = {
  name: "DELETE_CHUNK",
  channels: ["admin"],
  async run(ctx, block) {
    const id = block.params.id ?? block.params.chunk_id ?? block.args[0];
    if (!id || !UUID_RE.test(id)) return failed("DELETE_CHUNK needs id= with the chunk's UUID.");
    try {
      await deleteChunk(ctx.db(), ctx.tenantId, id, adminChatOrigin(ctx));
      await ctx.chunksChanged();
      return { ok: true, text: `Chunk ${id} deleted.`, data: { id } };
    } catch (err) {
      if (err instanceof AppError && err.code === "not_found") return failed(`No chunk with id ${id}.`);
      throw err;
    }
  },
};
