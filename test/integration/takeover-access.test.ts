/**
 * Who may use human takeover and with what input: the cabinet routes are for the tenant's owners only
 * (401 without a token, 403 for members and other tenants' tokens, 404 for dialogs of other tenants or
 * none, 409 for the setup chat, 422 for bad ids and texts); the visitor's feed is for the dialog's own
 * visitor on the web channel.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DialogStore } from "../../src/durable-objects/dialog-store.ts";
import { telegramDialogId } from "../../src/services/telegram/dialog-id.ts";
import { bearer, expectError, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, storedMessages, visitor } from "../helpers/chat.ts";
import { call, callJson } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";
import { chatId, connectBot, deliver, textUpdate } from "../helpers/telegram.ts";

const base = (tenantId: string, dialogId: string) => `/api/v1/tenants/${tenantId}/me/dialogs/${dialogId}`;

/** The four cabinet operations on a dialog, as requests with optional headers. */
const operations = (tenantId: string, dialogId: string) => [
  { name: "take over", method: "POST", path: `${base(tenantId, dialogId)}/takeover` },
  { name: "release", method: "DELETE", path: `${base(tenantId, dialogId)}/takeover` },
  { name: "reply", method: "POST", path: `${base(tenantId, dialogId)}/messages`, body: { text: "hi" } },
  { name: "follow", method: "GET", path: `${base(tenantId, dialogId)}/events` },
];

function send(op: { method: string; path: string; body?: unknown }, headers: Record<string, string> = {}) {
  return op.body === undefined
    ? call(op.path, { method: op.method, headers })
    : callJson(op.method, op.path, op.body, headers);
}

describe("takeover routes: access", () => {
  let owner: Owner;
  let member: Owner;
  let stranger: Owner;
  let user: string;
  let dialogId: string;

  beforeAll(async () => {
    owner = await seedOwner();
    member = await seedMember(owner);
    stranger = await seedOwner();
    user = visitor();
    const tag = await script({ reply: "Hello." });
    dialogId = dialogIdOf(await readSse(await chat(owner.tenantId, { user_id: user, message: `hi ${tag}` })));
    await storedMessages(dialogId, 2);
  });

  it("refuses every operation without a token (401)", async () => {
    for (const op of operations(owner.tenantId, dialogId)) {
      await expectError(await send(op), 401, "unauthorized");
    }
  });

  it("refuses members (403): they are registered visitors, not operators", async () => {
    for (const op of operations(owner.tenantId, dialogId)) {
      await expectError(await send(op, bearer(member.token)), 403, "forbidden");
    }
  });

  it("refuses another tenant's owner on this tenant's paths (403) and on its own paths (404)", async () => {
    for (const op of operations(owner.tenantId, dialogId)) {
      await expectError(await send(op, bearer(stranger.token)), 403, "forbidden");
    }
    for (const op of operations(stranger.tenantId, dialogId)) {
      const text = await expectError(await send(op, bearer(stranger.token)), 404, "not_found");
      expect(text).not.toContain(user);
    }
    // Nothing changed for the dialog's real tenant.
    const list = (await (
      await call(`/api/v1/tenants/${owner.tenantId}/me/dialogs`, { headers: bearer(owner.token) })
    ).json()) as { items: Array<{ id: string; taken_over_at: string | null }> };
    expect(list.items.find((d) => d.id === dialogId)?.taken_over_at).toBeNull();
    expect(await storedMessages(dialogId, 2)).toHaveLength(2);
  });

  it("answers 404 for an unknown dialog and 422 for a malformed id", async () => {
    for (const op of operations(owner.tenantId, crypto.randomUUID())) {
      await expectError(await send(op, bearer(owner.token)), 404, "not_found");
    }
    for (const op of operations(owner.tenantId, "not-a-uuid")) {
      await expectError(await send(op, bearer(owner.token)), 422, "validation_failed");
    }
  });

  it.each([
    ["missing text", {}],
    ["empty text", { text: "" }],
    ["blank text", { text: " \n\t " }],
    ["text of 4001 characters", { text: "я".repeat(4001) }],
    ["NUL in the text", { text: "a\u0000b" }],
    ["text that is not a string", { text: 42 }],
  ])("refuses a reply with %s (422)", async (_name, body) => {
    const res = await callJson(
      "POST",
      `${base(owner.tenantId, dialogId)}/messages`,
      body,
      bearer(owner.token),
    );
    await expectError(res, 422, "validation_failed");
  });

  it("refuses malformed JSON (400) and accepts 4000 characters", async () => {
    const bad = await call(`${base(owner.tenantId, dialogId)}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(owner.token) },
      body: "{",
    });
    await expectError(bad, 400);
    const long = "😀".repeat(4000);
    const res = await callJson(
      "POST",
      `${base(owner.tenantId, dialogId)}/messages`,
      { text: long },
      bearer(owner.token),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { message: { content: string } }).message.content).toBe(long);
  });

  it("refuses to take over the owner's setup chat (409)", async () => {
    const res = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/admin/chat/message`,
      { message: `Hi ${await script({ reply: "Let's set up." })}` },
      bearer(owner.token),
    );
    const adminDialog = ((await res.json()) as { dialog_id: string }).dialog_id;
    await storedMessages(adminDialog, 2);
    for (const op of operations(owner.tenantId, adminDialog)) {
      await expectError(await send(op, bearer(owner.token)), 409, "conflict");
    }
  });
});

describe("visitor feed: access", () => {
  let owner: Owner;
  let user: string;
  let dialogId: string;
  const feed = (tenantId: string, id: string, query: string) =>
    call(`/api/v1/tenants/${tenantId}/chat/${id}/events${query}`);

  beforeAll(async () => {
    owner = await seedOwner();
    user = visitor();
    const tag = await script({ reply: "Hello." });
    dialogId = dialogIdOf(await readSse(await chat(owner.tenantId, { user_id: user, message: `hi ${tag}` })));
  });

  it("is only for the dialog's own visitor, under its own tenant", async () => {
    await expectError(await feed(owner.tenantId, dialogId, `?user_id=${visitor()}`), 404, "not_found");
    const stranger = await seedOwner();
    await expectError(await feed(stranger.tenantId, dialogId, `?user_id=${user}`), 404, "not_found");
    await expectError(await feed(owner.tenantId, crypto.randomUUID(), `?user_id=${user}`), 404, "not_found");
  });

  it("validates its query (422)", async () => {
    await expectError(await feed(owner.tenantId, dialogId, ""), 422, "validation_failed");
    await expectError(await feed(owner.tenantId, dialogId, `?user_id=${user}&last_event_id=-1`), 422);
    await expectError(await feed(owner.tenantId, dialogId, `?user_id=${user}&last_event_id=x`), 422);
    const res = await call(`/api/v1/tenants/${owner.tenantId}/chat/${dialogId}/events?user_id=${user}`, {
      headers: { "last-event-id": "abc" },
    });
    await expectError(res, 422);
  });

  it("is not offered for Telegram dialogs (their replies go through the bot)", async () => {
    const bot = await connectBot(owner);
    const chat = chatId();
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `hi ${await script({ reply: "Hi." })}`));
    const tgDialog = await telegramDialogId(owner.tenantId, chat);
    await storedMessages(tgDialog, 2);
    await expectError(await feed(owner.tenantId, tgDialog, `?user_id=${chat}`), 404, "not_found");
  });
});

describe("dialog storage of objects made before takeover existed", () => {
  it("adds the author columns in place and keeps the old messages", async () => {
    const stub = env.DIALOGS.getByName(`legacy-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE IF EXISTS messages");
      sql.exec(`CREATE TABLE messages (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL,
        commands TEXT NOT NULL DEFAULT '[]', status TEXT NOT NULL, usage TEXT, created_at INTEGER NOT NULL,
        synced INTEGER NOT NULL DEFAULT 0)`);
      sql.exec(
        `INSERT INTO messages (seq, id, role, content, status, created_at) VALUES (1, 'a', 'user', 'old', 'complete', 1)`,
      );
      const store = new DialogStore(sql);
      expect(store.messagesAfter(0)).toMatchObject([{ seq: 1, content: "old", authorId: null }]);
      store.putMessage({
        seq: 2,
        id: "b",
        role: "operator",
        content: "new",
        commands: [],
        status: "complete",
        usage: null,
        createdAt: 2,
        authorId: "u",
        authorName: "Anna",
      });
      expect(store.messagesAfter(1, true)).toMatchObject([{ seq: 2, authorId: "u", authorName: "Anna" }]);
    });
  });
});
