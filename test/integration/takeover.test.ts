/**
 * Human takeover end to end: the owner takes a dialog over in the cabinet, the visitor's messages are
 * kept while the model stays silent, operator replies reach the visitor's live feed (and a Telegram chat
 * through the bot), and after release the model answers again knowing what the human said.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { dialogs } from "../../src/db/schema.ts";
import { OPERATOR_NOTE } from "../../src/durable-objects/model-request.ts";
import { telegramDialogId } from "../../src/services/telegram/dialog-id.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { chat, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { feedReader } from "../helpers/feed.ts";
import { call, callJson } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { dialogIdOf, readSse, tokensText } from "../helpers/sse.ts";
import {
  chatId,
  connectBot,
  deliver,
  failNext,
  pause,
  telegramCalls,
  textUpdate,
  waitForCalls,
} from "../helpers/telegram.ts";

const me = (o: Owner, dialogId: string) => `/api/v1/tenants/${o.tenantId}/me/dialogs/${dialogId}`;
const takeOver = (o: Owner, id: string) =>
  call(`${me(o, id)}/takeover`, { method: "POST", headers: bearer(o.token) });
const release = (o: Owner, id: string) =>
  call(`${me(o, id)}/takeover`, { method: "DELETE", headers: bearer(o.token) });
const reply = (o: Owner, id: string, text: string) =>
  callJson("POST", `${me(o, id)}/messages`, { text }, bearer(o.token));
const visitorFeed = (o: Owner, id: string, user: string, after?: number) =>
  call(
    `/api/v1/tenants/${o.tenantId}/chat/${id}/events?user_id=${encodeURIComponent(user)}${after === undefined ? "" : `&last_event_id=${after}`}`,
  );

/** A web dialog with one answered turn; resolves once Postgres has both messages. */
async function webDialog(owner: Owner, user: string): Promise<string> {
  const tag = await script({ reply: "Hello! How can I help?" });
  const events = await readSse(await chat(owner.tenantId, { user_id: user, message: `Hi ${tag}` }));
  const dialogId = dialogIdOf(events);
  await storedMessages(dialogId, 2);
  return dialogId;
}

async function dialogRow(dialogId: string) {
  const [row] = await withDb((h) => h.db.select().from(dialogs).where(eq(dialogs.id, dialogId)));
  return row;
}

describe("human takeover of a web dialog", () => {
  let owner: Owner;
  let user: string;
  let dialogId: string;
  let operatorSeq = 0;
  const operatorText = "Hi, this is Anna from the shop: your order ships on Monday.";

  beforeAll(async () => {
    owner = await seedOwner();
    user = visitor();
    dialogId = await webDialog(owner, user);
  });

  it("takes the dialog over: the cabinet list shows who holds it", async () => {
    const res = await takeOver(owner, dialogId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ dialog_id: dialogId, taken_over: true, taken_over_by: owner.userId });
    expect(Number.isNaN(Date.parse(String(body.taken_over_at)))).toBe(false);
    const list = (await (
      await call(`/api/v1/tenants/${owner.tenantId}/me/dialogs`, { headers: bearer(owner.token) })
    ).json()) as {
      items: Array<{ id: string; taken_over_by: string | null; taken_over_at: string | null }>;
    };
    expect(list.items.find((d) => d.id === dialogId)).toMatchObject({
      taken_over_by: owner.userId,
      taken_over_at: body.taken_over_at,
    });
  });

  it("stores the visitor's message without calling the model; the stream says taken_over", async () => {
    const cabinet = feedReader(
      await call(`${me(owner, dialogId)}/events?after_seq=2`, { headers: bearer(owner.token) }),
    );
    expect((await cabinet.next()).data).toMatchObject({ taken_over: true, taken_over_by: owner.userId });
    const tag = await script({ reply: "THE MODEL MUST NOT SAY THIS" });
    const res = await chat(owner.tenantId, {
      user_id: user,
      dialog_id: dialogId,
      message: `Where is my order? ${tag}`,
    });
    expect(res.status).toBe(200);
    const events = await readSse(res);
    expect(events.map((e) => e.event)).toEqual(["meta", "done"]);
    expect(events[1]?.data).toMatchObject({ dialog_id: dialogId, status: "taken_over", reply: "" });
    expect(tokensText(events)).toBe("");
    // The operator sees the new message live.
    const live = await cabinet.next();
    expect(live.event).toBe("message");
    expect(live.data).toMatchObject({
      seq: 3,
      role: "user",
      content: `Where is my order? ${tag}`,
      status: "complete",
    });
    expect(live.id).toBe("3");
    await cabinet.close();
    const rows = await storedMessages(dialogId, 3);
    expect(rows.map((r) => [r.seq, r.role])).toEqual([
      [1, "user"],
      [2, "assistant"],
      [3, "user"],
    ]);
    await pause(200);
    expect(await requestsFor(tag)).toEqual([]);
  });

  it("delivers an operator reply with the next seq and its author, live and on reconnect", async () => {
    const feed = feedReader(await visitorFeed(owner, dialogId, user));
    const state = await feed.next();
    expect(state).toMatchObject({ event: "state", data: { taken_over: true, operator_name: null } });
    expect(JSON.stringify(state.data)).not.toContain(owner.userId);

    const res = await reply(owner, dialogId, `  ${operatorText}  `);
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      message: Record<string, unknown>;
      delivery: string;
      takeover: Record<string, unknown>;
    };
    expect(body.delivery).toBe("live");
    expect(body.message).toMatchObject({
      seq: 4,
      role: "operator",
      content: operatorText,
      author_id: owner.userId,
      status: "complete",
    });
    expect(body.takeover).toMatchObject({ taken_over: true, taken_over_by: owner.userId });
    operatorSeq = Number(body.message.seq);

    const live = await feed.next();
    expect(live).toMatchObject({
      event: "operator",
      id: "4",
      data: { seq: 4, text: operatorText, operator_name: null },
    });
    expect(live.data.id).toBe(body.message.id);
    await feed.close();

    const rows = await storedMessages(dialogId, 4);
    expect(rows[3]).toMatchObject({
      seq: 4,
      role: "operator",
      authorId: owner.userId,
      content: operatorText,
    });
    const detail = (await (await call(me(owner, dialogId), { headers: bearer(owner.token) })).json()) as {
      messages: Array<{ role: string; author_id: string | null }>;
    };
    expect(detail.messages.map((m) => [m.role, m.author_id])).toEqual([
      ["user", null],
      ["assistant", null],
      ["user", null],
      ["operator", owner.userId],
    ]);

    // A page that reconnects gets what it missed, and nothing it already has.
    const again = feedReader(await visitorFeed(owner, dialogId, user, 0));
    expect((await again.next()).event).toBe("state");
    expect((await again.next()).data).toMatchObject({ seq: 4, text: operatorText });
    await again.close();
    const upToDate = feedReader(await visitorFeed(owner, dialogId, user, operatorSeq));
    expect((await upToDate.next()).event).toBe("state");
    await upToDate.quiet(300);
    await upToDate.close();
  });

  it("after release the model answers again and is told what the operator said", async () => {
    const feed = feedReader(await visitorFeed(owner, dialogId, user, operatorSeq));
    expect((await feed.next()).data).toMatchObject({ taken_over: true });
    const res = await release(owner, dialogId);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      dialog_id: dialogId,
      taken_over: false,
      taken_over_by: null,
      taken_over_at: null,
    });
    expect((await feed.next()).data).toEqual({ taken_over: false, operator_name: null });
    await feed.close();
    expect(await dialogRow(dialogId)).toMatchObject({ takenOverBy: null, takenOverAt: null });

    const tag = await script({ reply: "Monday it is, as Anna said." });
    const events = await readSse(
      await chat(owner.tenantId, { user_id: user, dialog_id: dialogId, message: `Thanks! ${tag}` }),
    );
    expect(tokensText(events)).toBe("Monday it is, as Anna said.");
    const [request] = await requestsFor(tag);
    const messages = request?.messages ?? [];
    expect(messages.map((m) => m.role)).toEqual([
      "system",
      "system",
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);
    expect(messages[1]?.content).toBe(OPERATOR_NOTE);
    expect(messages[5]).toEqual({ role: "assistant", content: operatorText });
    expect(messages.at(-1)?.content).toBe(`Thanks! ${tag}`);
  });

  it("releasing a dialog nobody holds is harmless", async () => {
    const res = await release(owner, dialogId);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ taken_over: false });
  });
});

describe("operator replies and running answers", () => {
  it("a reply to a dialog nobody holds takes it over (so the model falls silent)", async () => {
    const owner = await seedOwner();
    const user = visitor();
    const dialogId = await webDialog(owner, user);
    const res = await reply(owner, dialogId, "A human here: can I help?");
    expect(res.status).toBe(201);
    const body = (await res.json()) as { delivery: string; takeover: Record<string, unknown> };
    expect(body.delivery).toBe("stored");
    expect(body.takeover).toMatchObject({ taken_over: true, taken_over_by: owner.userId });
    expect((await dialogRow(dialogId))?.takenOverBy).toBe(owner.userId);
    const tag = await script({ reply: "silent please" });
    const events = await readSse(
      await chat(owner.tenantId, { user_id: user, dialog_id: dialogId, message: `ok ${tag}` }),
    );
    expect(events.at(-1)?.data.status).toBe("taken_over");
    expect(await requestsFor(tag)).toEqual([]);
  });

  it("taking over stops the answer being written; it is kept as stopped", async () => {
    const owner = await seedOwner();
    const user = visitor();
    const dialogId = await webDialog(owner, user);
    const tag = await script({ reply: "word ".repeat(200), chunkSize: 5, delayMs: 20 });
    const res = await chat(owner.tenantId, {
      user_id: user,
      dialog_id: dialogId,
      message: `long one ${tag}`,
    });
    const stream = feedReader(res);
    expect((await stream.next()).event).toBe("meta");
    expect((await stream.next()).event).toBe("token");
    expect((await takeOver(owner, dialogId)).status).toBe(200);
    let last = await stream.next();
    while (last.event === "token") last = await stream.next();
    expect(last).toMatchObject({ event: "done", data: { status: "stopped" } });
    const rows = await storedMessages(dialogId, 4);
    expect(rows[3]).toMatchObject({ role: "assistant", status: "stopped" });
    expect(rows[3]?.content.length).toBeLessThan(1000);
  });
});

describe("human takeover of a Telegram dialog", () => {
  it("sends the operator's reply to the chat through the bot and keeps the model silent", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const chat = chatId();
    const first = await script({ reply: "Bot here." });
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `hello ${first}`));
    await waitForCalls(bot.token, "sendMessage", 1);
    const dialogId = await telegramDialogId(owner.tenantId, chat);
    await storedMessages(dialogId, 2);

    expect((await takeOver(owner, dialogId)).status).toBe(200);
    const res = await reply(owner, dialogId, "Hello from a real person.");
    expect(res.status).toBe(201);
    expect(((await res.json()) as { delivery: string }).delivery).toBe("sent");
    const sent = await waitForCalls(bot.token, "sendMessage", 2);
    expect(sent[1]?.params).toMatchObject({ chat_id: chat, text: "Hello from a real person." });

    const silent = await script({ reply: "MUST NOT BE SENT" });
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `are you there? ${silent}`));
    const rows = await storedMessages(dialogId, 4);
    expect(rows.map((r) => r.role)).toEqual(["user", "assistant", "operator", "user"]);
    await pause(400);
    expect((await telegramCalls(bot.token, "sendMessage")).length).toBe(2);
    expect(await requestsFor(silent)).toEqual([]);
  });

  it("reports a reply Telegram did not accept as failed, and keeps it in the dialog", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const chat = chatId();
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `hi ${await script({ reply: "Hi." })}`));
    const dialogId = await telegramDialogId(owner.tenantId, chat);
    await storedMessages(dialogId, 2);
    // Telegram refuses the message (the visitor blocked the bot).
    await failNext(bot.token, "sendMessage", 1, 403);
    const refused = await reply(owner, dialogId, "Are you still there?");
    expect(refused.status).toBe(201);
    expect(((await refused.json()) as { delivery: string }).delivery).toBe("failed");
    // The owner disconnects the bot: the reply cannot reach the chat.
    expect(
      (
        await call(`/api/v1/tenants/${owner.tenantId}/me/telegram`, {
          method: "DELETE",
          headers: bearer(owner.token),
        })
      ).status,
    ).toBe(204);
    const res = await reply(owner, dialogId, "Still there?");
    expect(res.status).toBe(201);
    expect(((await res.json()) as { delivery: string }).delivery).toBe("failed");
    const rows = await storedMessages(dialogId, 4);
    expect(rows.slice(2).map((r) => [r.role, r.content])).toEqual([
      ["operator", "Are you still there?"],
      ["operator", "Still there?"],
    ]);
    const [row] = await withDb((h) =>
      h.db
        .select()
        .from(dialogs)
        .where(and(eq(dialogs.id, dialogId), eq(dialogs.tenantId, owner.tenantId))),
    );
    expect(row?.takenOverBy).toBe(owner.userId);
  });
});
