import { deleteChunk } from "../services/prompt/prompt-chunks.ts";
import { serviceRefusal } from "./chunk-checks.ts";
import { cleanId } from "./chunk-grammar.ts";
import { say } from "./texts.ts";
import { adminChatOrigin, argument, type Command, failed, UUID_RE } from "./types.ts";

/** DELETE_CHUNK — the chunk's UUID (on the next line, on the same line, or as `id=`). */
export const deleteChunkCommand: Command = {
  name: "DELETE_CHUNK",
  channels: ["admin"],
  async run(ctx, block) {
    const id = cleanId(argument(block, "id", "chunk_id"));
    if (!id || !UUID_RE.test(id)) return failed(say(ctx.locale, "needsChunkId", { command: "DELETE_CHUNK" }));
    try {
      const chunk = await deleteChunk(ctx.db(), ctx.tenantId, id, adminChatOrigin(ctx));
      await ctx.chunksChanged();
      return { ok: true, text: say(ctx.locale, "chunkDeleted", { question: chunk.question }), data: { id } };
    } catch (err) {
      return serviceRefusal(err, ctx.locale, "DELETE_CHUNK");
    }
  },
};
