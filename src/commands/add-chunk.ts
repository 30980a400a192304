import { addChunk } from "../services/prompt/prompt-chunks.ts";
import { lengthProblem, readPosition, serviceRefusal } from "./chunk-checks.ts";
import { readChunkBlock } from "./chunk-grammar.ts";
import { say } from "./texts.ts";
import { adminChatOrigin, type Command, failed } from "./types.ts";

/**
 * ADD_CHUNK — line 1 the question, lines 2..n the text (or `question=`, `text=`, `position=`): the setup
 * assistant saves what it learned from the owner. Nothing is written unless all of it fits.
 */
export const addChunkCommand: Command = {
  name: "ADD_CHUNK",
  channels: ["admin"],
  async run(ctx, block) {
    const {
      question,
      text,
      position: rawPosition,
    } = readChunkBlock(block, "question", ["question", "text", "position"]);
    if (!question) return failed(say(ctx.locale, "noQuestion"));
    if (!text)
      return failed(say(ctx.locale, "noText", { what: ctx.locale === "ru" ? "вопросом" : "question" }));
    const problem = lengthProblem(ctx.locale, { question, text });
    if (problem) return problem;
    const position = readPosition(rawPosition);
    if (position === null) return failed(say(ctx.locale, "badPosition"));
    try {
      const chunk = await addChunk(
        ctx.db(),
        ctx.tenantId,
        { question, text, position },
        adminChatOrigin(ctx),
        ctx.maxChunks,
      );
      await ctx.chunksChanged();
      return {
        ok: true,
        text: say(ctx.locale, "chunkAdded", { question: chunk.question, position: chunk.position }),
        data: { chunk },
      };
    } catch (err) {
      return serviceRefusal(err, ctx.locale, "ADD_CHUNK", ctx.maxChunks);
    }
  },
};
