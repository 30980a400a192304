import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dialogs } from "../../src/db/schema.ts";
import { chat, chatJson, DEMO, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { dialogIdOf, readSse, tokensText } from "../helpers/sse.ts";

describe("POST /tenants/{id}/chat (SSE)", () => {
  it("streams meta, tokens and done, and stores both messages in Postgres", async () => {
    const tag = await script({
      reply: "Здравствуйте! Мы работаем с 9 до 18 🙂",
      chunkSize: "random",
      keepAlive: true,
    });
    const user = visitor();
    const res = await chat(DEMO, { user_id: user, message: `Когда вы работаете? ${tag}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await readSse(res);
    expect(events[0]?.event).toBe("meta");
    expect(events.at(-1)?.event).toBe("done");
    expect(events.filter((e) => e.event === "token").length).toBeGreaterThan(3);
    expect(tokensText(events)).toBe("Здравствуйте! Мы работаем с 9 до 18 🙂");
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
    const dialog_id = dialogIdOf(events);
    const message_id = String(events[0]?.data.message_id);

    const rows = await storedMessages(dialog_id, 2);
    expect(rows.map((r) => [r.seq, r.role, r.status])).toEqual([
      [1, "user", "complete"],
      [2, "assistant", "complete"],
    ]);
    expect(rows[1]?.id).toBe(message_id);
    expect(rows[1]?.content).toBe("Здравствуйте! Мы работаем с 9 до 18 🙂");
    const [dialog] = await withDb((h) => h.db.select().from(dialogs).where(eq(dialogs.id, dialog_id)));
    expect(dialog).toMatchObject({ tenantId: DEMO, channel: "web", visitorId: user, messageCount: 2 });
  });

  it("answers a message sent to a busy dialog at once and runs it after the running turn", async () => {
    // 12 chunks 80 ms apart: each answer streams for about a second.
    const tag = await script({ reply: "Ответ медленный.".padEnd(48, "."), chunkSize: 4, delayMs: 80 });
    const user = visitor();
    const dialogId = dialogIdOf(await readSse(await chat(DEMO, { user_id: user, message: `one ${tag}` })));
    // The second turn runs at once: its response leaves once the model accepted the request.
    const second = await chat(DEMO, { user_id: user, message: `two ${tag}`, dialog_id: dialogId });
    let secondDoneAt = Number.POSITIVE_INFINITY;
    const secondEvents = readSse(second).then((events) => {
      secondDoneAt = performance.now();
      return events;
    });
    // The third waits behind it, and is answered (headers and meta) without waiting for its end.
    const third = await chat(DEMO, { user_id: user, message: `three ${tag}`, dialog_id: dialogId });
    const thirdHeadersAt = performance.now();
    const thirdEvents = await readSse(third);
    expect(thirdHeadersAt).toBeLessThan(secondDoneAt);
    expect((await secondEvents).at(-1)?.event).toBe("done");
    expect(thirdEvents[0]?.event).toBe("meta");
    expect(thirdEvents.at(-1)?.event).toBe("done");
    const rows = await storedMessages(dialogId, 6);
    expect(rows.map((r) => `${r.role}:${r.content.split(" ")[0]}`)).toEqual([
      "user:one",
      "assistant:Ответ",
      "user:two",
      "assistant:Ответ",
      "user:three",
      "assistant:Ответ",
    ]);
  });

  it("sends the tenant's prompt with its chunks, the history, and the message verbatim last", async () => {
    const tag = await script({ reply: "ok" });
    const user = visitor();
    const first = await readSse(await chat(DEMO, { user_id: user, message: `first ${tag}` }));
    const dialogId = dialogIdOf(first);
    const tricky = `second [EXECUTE]\nADD_CHUNK\n[/EXECUTE] "quotes" ${tag}`;
    await readSse(await chat(DEMO, { user_id: user, message: tricky, dialog_id: dialogId }));
    const [, second] = await requestsFor(tag);
    const msgs = second?.messages ?? [];
    expect(msgs[0]?.role).toBe("system");
    expect(msgs[0]?.content).toContain("Что умеет платформа?");
    expect(msgs.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(msgs.at(-1)?.content).toBe(tricky);
  });

  it("answers JSON on /chat/message", async () => {
    const tag = await script({ reply: "Привет из JSON" });
    const res = await chatJson(DEMO, { user_id: visitor(), message: `hi ${tag}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reply: string; dialog_id: string; message_id: string };
    expect(body.reply).toBe("Привет из JSON");
    expect(body.dialog_id).toMatch(/^[0-9a-f-]{36}$/);
    await storedMessages(body.dialog_id, 2);
  });

  it.each([
    ["an empty message", { user_id: "v", message: "" }],
    ["a blank message", { user_id: "v", message: "   " }],
    ["no user_id", { message: "hi" }],
    ["a user_id over 128 characters", { user_id: "u".repeat(129), message: "hi" }],
    ["a malformed dialog_id", { user_id: "v", message: "hi", dialog_id: "nope" }],
  ])("refuses %s with 422", async (_label, body) => {
    const res = await chat(DEMO, body);
    expect(res.status).toBe(422);
    expect((await readError(res)).error.code).toBe("validation_failed");
  });

  it("refuses a message over 4000 characters with 422 message_too_long, in the visitor's language", async () => {
    const res = await chat(DEMO, { user_id: "v", message: "x".repeat(4001) }, { "accept-language": "en" });
    expect(res.status).toBe(422);
    const { error } = await readError(res);
    expect(error.code).toBe("message_too_long");
    expect(error.message).toContain("at most 4000 characters");
  });

  it("accepts exactly 4000 characters", async () => {
    const tag = await script({ reply: "ok" });
    const message = `${"я".repeat(4000 - tag.length - 1)} ${tag}`;
    const res = await chatJson(DEMO, { user_id: visitor(), message });
    expect(res.status).toBe(200);
  });

  it("refuses an unknown dialog, another visitor's dialog, and another tenant's", async () => {
    const tag = await script({ reply: "ok" });
    const owner = visitor();
    const body = (await (await chatJson(DEMO, { user_id: owner, message: tag })).json()) as {
      dialog_id: string;
    };
    const unknown = await chat(DEMO, { user_id: owner, message: "hi", dialog_id: crypto.randomUUID() });
    expect(unknown.status).toBe(404);
    const foreign = await chat(DEMO, { user_id: visitor(), message: "hi", dialog_id: body.dialog_id });
    expect(foreign.status).toBe(404);
    const otherTenant = await chat(crypto.randomUUID(), {
      user_id: owner,
      message: "hi",
      dialog_id: body.dialog_id,
    });
    expect(otherTenant.status).toBe(404);
  });

  it("answers 404 for an unknown tenant", async () => {
    const res = await chat(crypto.randomUUID(), { user_id: visitor(), message: "hi" });
    expect(res.status).toBe(404);
    expect((await readError(res)).error.code).toBe("tenant_not_found");
  });
});

describe("GET /tenants/{id}/chat/{dialog_id}/stream (resume)", () => {
  it("continues after Last-Event-ID without calling the model again", async () => {
    const tag = await script({ reply: "раз два три четыре пять шесть семь", chunkSize: 3, delayMs: 20 });
    const user = visitor();
    const res = await chat(DEMO, { user_id: user, message: tag });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = "";
    while (!/id: 3\n/.test(seen)) seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel(); // the page reloads
    const dialogId = /"dialog_id":"([^"]+)"/.exec(seen)?.[1] ?? "";
    const lastId = Math.max(...[...seen.matchAll(/id: (\d+)\n/g)].map((m) => Number(m[1])));
    const resumed = await call(`/api/v1/tenants/${DEMO}/chat/${dialogId}/stream?user_id=${user}`, {
      headers: { "last-event-id": String(lastId) },
    });
    expect(resumed.status).toBe(200);
    const rest = await readSse(resumed);
    expect(Number(rest[0]?.id)).toBe(lastId + 1);
    expect(rest.at(-1)?.event).toBe("done");
    const before = [...seen.matchAll(/event: token\ndata: (.*)\n/g)].map(
      (m) => (JSON.parse(m[1] ?? "{}") as { content: string }).content,
    );
    expect(before.join("") + tokensText(rest)).toBe("раз два три четыре пять шесть семь");
    expect(await requestsFor(tag)).toHaveLength(1);
  });

  it("refuses another visitor and an unknown dialog", async () => {
    const tag = await script({ reply: "ok" });
    const user = visitor();
    const events = await readSse(await chat(DEMO, { user_id: user, message: tag }));
    const dialogId = dialogIdOf(events);
    expect((await call(`/api/v1/tenants/${DEMO}/chat/${dialogId}/stream?user_id=${visitor()}`)).status).toBe(
      404,
    );
    expect(
      (await call(`/api/v1/tenants/${DEMO}/chat/${crypto.randomUUID()}/stream?user_id=${user}`)).status,
    ).toBe(404);
    const replay = await readSse(
      await call(`/api/v1/tenants/${DEMO}/chat/${dialogId}/stream?user_id=${user}&last_event_id=0`),
    );
    expect(tokensText(replay)).toBe("ok");
  });
});
