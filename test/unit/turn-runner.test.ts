import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ParsedBlock } from "../../src/chat/execute-detector.ts";
import { runModelTurn } from "../../src/chat/turn-runner.ts";
import type { BlockOutcome } from "../../src/commands/registry.ts";
import { AppError } from "../../src/errors.ts";
import type { ChatModel, ModelEvent } from "../../src/llm/client.ts";

function modelOf(pieces: string[], failAfter?: number): ChatModel {
  return {
    async *stream(): AsyncIterable<ModelEvent> {
      let i = 0;
      for (const text of pieces) {
        if (failAfter !== undefined && i >= failAfter)
          throw new AppError("service_unavailable", "model stream stalled");
        yield { type: "text", text };
        i += 1;
      }
      yield {
        type: "usage",
        usage: {
          promptTokens: 1,
          completionTokens: 2,
          totalTokens: 3,
          cacheHitTokens: 0,
          cacheMissTokens: 0,
          reasoningTokens: 0,
        },
      };
      yield { type: "done", finishReason: "stop" };
    },
  };
}

const ran = (block: ParsedBlock | null): Promise<BlockOutcome> =>
  Promise.resolve(
    block?.name === "FORBIDDEN"
      ? { kind: "refused", name: block.name, reason: "not_allowed" }
      : {
          kind: "ran",
          name: block?.name ?? "?",
          result: { ok: true, text: `<${block?.name}:${block?.params.q ?? ""}>` },
        },
  );

function run(pieces: string[], failAfter?: number) {
  const tokens: string[] = [];
  const commands: string[] = [];
  return runModelTurn(
    {
      model: modelOf(pieces, failAfter),
      runBlock: ran,
      onToken: (t) => tokens.push(t),
      onCommand: (c) => commands.push(c.name),
      signal: new AbortController().signal,
      maxBlocks: 2,
    },
    { messages: [] },
  ).then((outcome) => ({ outcome, tokens, commands }));
}

describe("runModelTurn", () => {
  it("replaces blocks by their results wherever the model's chunks split them", async () => {
    const text = "A [EXECUTE]\nSEARCH\nq=окна\n[/EXECUTE] B [EXECUTE]\nFORBIDDEN\n[/EXECUTE] C";
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const pieces = [0, ...points].map((p, i) => text.slice(p, points[i] ?? text.length));
          const { outcome, tokens, commands } = await run(pieces);
          expect(outcome.content).toBe("A <SEARCH:окна> B  C");
          expect(tokens.join("")).toBe(outcome.content);
          expect(commands).toEqual(["SEARCH"]);
          expect(outcome.status).toBe("complete");
          expect(outcome.usage?.totalTokens).toBe(3);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("runs at most maxBlocks blocks", async () => {
    const block = "[EXECUTE]\nX\n[/EXECUTE]";
    const { commands } = await run([block, block, block]);
    expect(commands).toEqual(["X", "X"]);
  });

  it("turns a model failure into partial or failed, never a throw", async () => {
    const partial = await run(["Hello ", "world"], 1);
    expect(partial.outcome).toMatchObject({
      status: "partial",
      content: "Hello ",
      error: { code: "service_unavailable" },
    });
    const failed = await run(["Hello"], 0);
    expect(failed.outcome).toMatchObject({ status: "failed", content: "" });
  });
});
