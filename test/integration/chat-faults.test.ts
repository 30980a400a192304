import { describe, expect, it } from "vitest";
import { chat, chatJson, DEMO, storedMessages, visitor } from "../helpers/chat.ts";
import { callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { dialogIdOf, readSse, tokensText } from "../helpers/sse.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("when the model fails", () => {
  it("mid-stream: the partial answer is stored as partial and the stream ends with error", async () => {
    const tag = await script({
      reply: "one two three four five six",
      chunkSize: 4,
      dropAfterChunks: 3,
      delayMs: 30,
    });
    const events = await readSse(await chat(DEMO, { user_id: visitor(), message: tag }));
    expect(events.at(-1)?.event).toBe("error");
    expect(events.some((e) => e.event === "done")).toBe(false);
    const text = tokensText(events);
    expect(text).toBe("one two thre");
    const dialogId = dialogIdOf(events);
    const rows = await storedMessages(dialogId, 2);
    expect(rows[1]).toMatchObject({ role: "assistant", status: "partial", content: text });
  });

  it("before any text: stored as failed; 429 upstream maps to rate_limited", async () => {
    const tag = await script({ status: 429, retryAfter: 3 });
    const events = await readSse(await chat(DEMO, { user_id: visitor(), message: tag }));
    expect(events.at(-1)).toMatchObject({ event: "error", data: { code: "rate_limited" } });
    const rows = await storedMessages(dialogIdOf(events), 2);
    expect(rows[1]).toMatchObject({ status: "failed", content: "" });
  });

  it.each([
    [500, 503, "service_unavailable"],
    [401, 502, "upstream_error"],
    [429, 429, "rate_limited"],
  ])("JSON chat: upstream %i -> %i %s", async (upstream, status, code) => {
    const tag = await script({ status: upstream });
    const res = await chatJson(DEMO, { user_id: visitor(), message: tag });
    expect(res.status).toBe(status);
    expect((await readError(res)).error.code).toBe(code);
  });

  it("the next message works after a failure, and a retry of the same text is fine", async () => {
    const bad = await script({ status: 500 });
    const user = visitor();
    const first = await readSse(await chat(DEMO, { user_id: user, message: `hello ${bad}` }));
    const dialogId = dialogIdOf(first);
    const good = await script({ reply: "now it works" });
    const second = await readSse(
      await chat(DEMO, { user_id: user, message: `hello ${good}`, dialog_id: dialogId }),
    );
    expect(tokensText(second)).toBe("now it works");
    const rows = await storedMessages(dialogId, 4);
    expect(rows.map((r) => r.status)).toEqual(["complete", "failed", "complete", "complete"]);
  });
});

describe("the dialog's Durable Object owns the turn", () => {
  it("a client that disconnects does not cut the reply: it is completed and stored", async () => {
    const reply = "a long answer that keeps coming after the reader is gone";
    const tag = await script({ reply, chunkSize: 3, delayMs: 15 });
    const res = await chat(DEMO, { user_id: visitor(), message: tag });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const dialogId = /"dialog_id":"([^"]+)"/.exec(first)?.[1] ?? "";
    await reader.cancel();
    const rows = await storedMessages(dialogId, 2, 10_000);
    for (let i = 0; i < 100 && rows[1]?.status !== "complete"; i++) {
      await sleep(100);
      rows.splice(0, rows.length, ...(await storedMessages(dialogId, 2)));
    }
    expect(rows[1]).toMatchObject({ status: "complete", content: reply });
  });

  it("stop ends the reply deliberately, keeps the part so far with status stopped", async () => {
    const tag = await script({ reply: "word ".repeat(200), chunkSize: 5, delayMs: 20 });
    const user = visitor();
    const res = await chat(DEMO, { user_id: user, message: tag });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const dialogId = /"dialog_id":"([^"]+)"/.exec(first)?.[1] ?? "";
    await sleep(200);
    const other = await callJson("POST", `/api/v1/tenants/${DEMO}/chat/${dialogId}/stop`, {
      user_id: visitor(),
    });
    expect(await other.json()).toEqual({ stopped: false });
    const stop = await callJson("POST", `/api/v1/tenants/${DEMO}/chat/${dialogId}/stop`, { user_id: user });
    expect(await stop.json()).toEqual({ stopped: true });
    let rest = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('"status":"stopped"');
    const rows = await storedMessages(dialogId, 2);
    expect(rows[1]?.status).toBe("stopped");
    expect(rows[1]?.content.length).toBeGreaterThan(0);
    expect(rows[1]?.content.length).toBeLessThan(1000);
  });

  it("queues concurrent sends to one dialog: 2N messages in order, each reply saw the turns before", async () => {
    const tag = await script({ reply: "noted", chunkSize: 2, delayMs: 5 });
    const user = visitor();
    const opening = (await (await chatJson(DEMO, { user_id: user, message: `m0 ${tag}` })).json()) as {
      dialog_id: string;
    };
    const n = 5;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        chatJson(DEMO, { user_id: user, message: `m${i + 1} ${tag}`, dialog_id: opening.dialog_id }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(results).toEqual(Array(n).fill(200));
    const rows = await storedMessages(opening.dialog_id, 2 * (n + 1));
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 2 * (n + 1) }, (_, i) => i + 1));
    expect(rows.map((r) => r.role)).toEqual(
      Array.from({ length: 2 * (n + 1) }, (_, i) => (i % 2 === 0 ? "user" : "assistant")),
    );
    // Turn k's request carried the k previous user messages and their answers.
    const requests = await requestsFor(tag);
    const sizes = requests.map((r) => r.messages.length).sort((a, b) => a - b);
    expect(sizes).toEqual(Array.from({ length: n + 1 }, (_, k) => 2 + 2 * k));
  });

  it("refuses sends beyond the queue cap with 429", async () => {
    const tag = await script({ reply: "slow ".repeat(40), chunkSize: 5, delayMs: 25 });
    const user = visitor();
    const opening = (await (await chatJson(DEMO, { user_id: user, message: `hi ${tag}` })).json()) as {
      dialog_id: string;
    };
    const statuses = await Promise.all(
      Array.from({ length: 14 }, () =>
        chatJson(DEMO, { user_id: user, message: `again ${tag}`, dialog_id: opening.dialog_id }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
  }, 30_000);
});
