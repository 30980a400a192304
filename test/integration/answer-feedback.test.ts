/**
 * Answer feedback: a visitor rates an answer of its own web dialog (one rating per answer, a new one
 * replaces it); the cabinet shows the rating on the message, filters dialogs by it and counts it in the
 * usage report. Ratings of answers Postgres has not got yet are checked with the dialog object.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messageFeedback, messages } from "../../src/db/schema.ts";
import type { DialogObject } from "../../src/durable-objects/dialog-object.ts";
import { DialogStore } from "../../src/durable-objects/dialog-store.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, chatJson, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { readSse } from "../helpers/sse.ts";

interface Answer {
  dialogId: string;
  messageId: string;
  userId: string;
}

interface Stored {
  dialog_id: string;
  message_id: string;
  rating: "up" | "down";
  comment: string | null;
  updated_at: string;
}

interface Detail {
  messages: Array<{
    id: string;
    role: string;
    feedback: { rating: string; comment: string | null; updated_at: string } | null;
  }>;
}

const today = () => new Date().toISOString().slice(0, 10);

/** One visitor turn through the JSON chat, synced to Postgres (user message + answer). */
async function answer(tenantId: string, userId = visitor(), dialogId?: string): Promise<Answer> {
  const res = await chatJson(tenantId, {
    user_id: userId,
    message: "What are your opening hours?",
    ...(dialogId ? { dialog_id: dialogId } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as { dialog_id: string; message_id: string };
  const rows = await storedMessages(body.dialog_id, dialogId ? 4 : 2);
  expect(rows.find((r) => r.id === body.message_id)?.role).toBe("assistant");
  return { dialogId: body.dialog_id, messageId: body.message_id, userId };
}

const feedbackPath = (tenantId: string, dialogId: string, messageId: string) =>
  `/api/v1/tenants/${tenantId}/chat/${dialogId}/messages/${messageId}/feedback`;

function rate(
  tenantId: string,
  a: Pick<Answer, "dialogId" | "messageId">,
  body: Record<string, unknown>,
  headers: HeadersInit = {},
): Promise<Response> {
  return callJson("POST", feedbackPath(tenantId, a.dialogId, a.messageId), body, headers);
}

async function expectCode(res: Response, status: number, code: string): Promise<void> {
  expect(res.status, await res.clone().text()).toBe(status);
  expect((await readError(res)).error.code).toBe(code);
}

async function storedRows(tenantId: string) {
  return withDb(({ db }) => db.select().from(messageFeedback).where(eq(messageFeedback.tenantId, tenantId)));
}

async function dialogDetail(o: { tenantId: string; token: string }, dialogId: string): Promise<Response> {
  return call(`/api/v1/tenants/${o.tenantId}/me/dialogs/${dialogId}`, { headers: bearer(o.token) });
}

async function listed(o: { tenantId: string; token: string }, query: string): Promise<string[]> {
  const res = await call(`/api/v1/tenants/${o.tenantId}/me/dialogs?${query}`, { headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { items: Array<{ id: string }> }).items.map((d) => d.id);
}

describe("POST …/chat/{dialog_id}/messages/{message_id}/feedback", () => {
  let owner: Owner;
  let other: Owner;
  let liked: Answer;
  beforeAll(async () => {
    [owner, other] = await Promise.all([seedOwner(), seedOwner()]);
    liked = await answer(owner.tenantId);
  });

  it("stores a thumbs up, then a thumbs down with a comment replaces it (one row per answer)", async () => {
    const up = await rate(owner.tenantId, liked, { user_id: liked.userId, rating: "up" });
    expect(up.status, await up.clone().text()).toBe(200);
    const first = (await up.json()) as Stored;
    expect(first).toMatchObject({
      dialog_id: liked.dialogId,
      message_id: liked.messageId,
      rating: "up",
      comment: null,
    });
    const down = await rate(owner.tenantId, liked, {
      user_id: liked.userId,
      rating: "down",
      comment: "  Wrong hours, we open at nine.  ",
    });
    expect(down.status, await down.clone().text()).toBe(200);
    const second = (await down.json()) as Stored;
    expect(second).toMatchObject({ rating: "down", comment: "Wrong hours, we open at nine." });
    expect(Date.parse(second.updated_at)).toBeGreaterThanOrEqual(Date.parse(first.updated_at));
    const rows = await storedRows(owner.tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ messageId: liked.messageId, rating: "down" });
  });

  it("refuses a comment over 500 characters (422) and keeps the rating as it was", async () => {
    const res = await rate(owner.tenantId, liked, {
      user_id: liked.userId,
      rating: "up",
      comment: "x".repeat(501),
    });
    expect(res.status).toBe(422);
    const refused = await readError(res);
    expect(refused.error.code).toBe("validation_failed");
    expect(refused.error.issues?.[0]?.path).toBe("comment");
    expect((await storedRows(owner.tenantId))[0]).toMatchObject({
      rating: "down",
      comment: "Wrong hours, we open at nine.",
    });
    const ok = await rate(owner.tenantId, liked, {
      user_id: liked.userId,
      rating: "down",
      comment: "é".repeat(500),
    });
    expect(ok.status).toBe(200);
    await expectCode(
      await rate(owner.tenantId, liked, { user_id: liked.userId, rating: "meh" }),
      422,
      "validation_failed",
    );
    await expectCode(
      await rate(owner.tenantId, liked, { user_id: liked.userId, rating: "up", extra: 1 }),
      422,
      "validation_failed",
    );
  });

  it("refuses another visitor's user_id with 404 and stores nothing", async () => {
    const before = await storedRows(owner.tenantId);
    await expectCode(
      await rate(owner.tenantId, liked, { user_id: visitor(), rating: "up" }),
      404,
      "not_found",
    );
    expect(await storedRows(owner.tenantId)).toEqual(before);
  });

  it("refuses another tenant's dialog (cross-tenant) with 404", async () => {
    await expectCode(
      await rate(other.tenantId, liked, { user_id: liked.userId, rating: "up" }),
      404,
      "not_found",
    );
    expect(await storedRows(other.tenantId)).toEqual([]);
    await expectCode(
      await rate(crypto.randomUUID(), liked, { user_id: liked.userId, rating: "up" }),
      404,
      "tenant_not_found",
    );
  });

  it("refuses the visitor's own message (422) and an unknown message (404)", async () => {
    const rows = await storedMessages(liked.dialogId, 2);
    const mine = rows.find((r) => r.role === "user");
    expect(mine).toBeDefined();
    const res = await rate(
      owner.tenantId,
      { dialogId: liked.dialogId, messageId: mine?.id ?? "" },
      {
        user_id: liked.userId,
        rating: "up",
      },
    );
    await expectCode(res, 422, "validation_failed");
    await expectCode(
      await rate(
        owner.tenantId,
        { dialogId: liked.dialogId, messageId: crypto.randomUUID() },
        { user_id: liked.userId, rating: "up" },
      ),
      404,
      "not_found",
    );
    await expectCode(
      await rate(
        owner.tenantId,
        { dialogId: crypto.randomUUID(), messageId: liked.messageId },
        { user_id: liked.userId, rating: "up" },
      ),
      404,
      "not_found",
    );
  });

  it("rates the answer id the SSE stream's done event names", async () => {
    const userId = visitor();
    const res = await chat(owner.tenantId, { user_id: userId, message: "Hello there" });
    expect(res.status).toBe(200);
    const done = (await readSse(res)).find((e) => e.event === "done");
    const data = (done?.data ?? {}) as { dialog_id: string; message_id: string };
    expect(data.message_id).toMatch(/^[0-9a-f-]{36}$/);
    const rated = await rate(
      owner.tenantId,
      { dialogId: data.dialog_id, messageId: data.message_id },
      {
        user_id: userId,
        rating: "up",
      },
    );
    expect(rated.status, await rated.clone().text()).toBe(200);
  });

  it("rates an answer Postgres does not have yet (checked with the dialog object), never losing it", async () => {
    const late = await answer(owner.tenantId);
    // As if the sync had not landed: the answer is only in the dialog object.
    await withDb(({ db }) =>
      db.delete(messages).where(and(eq(messages.dialogId, late.dialogId), eq(messages.id, late.messageId))),
    );
    const res = await rate(owner.tenantId, late, { user_id: late.userId, rating: "up" });
    expect(res.status, await res.clone().text()).toBe(200);
    // The object still refuses another visitor, and the visitor's own message.
    await expectCode(
      await rate(owner.tenantId, late, { user_id: visitor(), rating: "up" }),
      404,
      "not_found",
    );
    const userMessage = await runInDurableObject(
      env.DIALOGS.getByName(late.dialogId),
      (_o: DialogObject, state) =>
        String(state.storage.sql.exec("SELECT id FROM messages WHERE role = 'user' LIMIT 1").one().id),
    );
    await withDb(({ db }) => db.delete(messages).where(eq(messages.id, userMessage)));
    await expectCode(
      await rate(
        owner.tenantId,
        { dialogId: late.dialogId, messageId: userMessage },
        {
          user_id: late.userId,
          rating: "up",
        },
      ),
      422,
      "validation_failed",
    );
    const rows = await storedRows(owner.tenantId);
    expect(rows.find((r) => r.messageId === late.messageId)?.rating).toBe("up");
  });

  it("refuses an answer the dialog object is still writing (409)", async () => {
    const a = await answer(owner.tenantId);
    const writing = crypto.randomUUID();
    await runInDurableObject(env.DIALOGS.getByName(a.dialogId), (_o: DialogObject, state) => {
      new DialogStore(state.storage.sql).putMessage({
        seq: 99,
        id: writing,
        role: "assistant",
        content: "Half an answ",
        commands: [],
        status: "streaming",
        usage: null,
        createdAt: Date.now(),
      });
    });
    await expectCode(
      await rate(
        owner.tenantId,
        { dialogId: a.dialogId, messageId: writing },
        { user_id: a.userId, rating: "up" },
      ),
      409,
      "conflict",
    );
  });

  it("needs the widget token when the embed is protected", async () => {
    const guarded = await seedOwner();
    const a = await answer(guarded.tenantId);
    const put = await callJson(
      "PUT",
      `/api/v1/tenants/${guarded.tenantId}/me/embed/settings`,
      { allowed_origins: ["https://shop.example"], protected_embed: true },
      bearer(guarded.token),
    );
    expect(put.status).toBe(200);
    await expectCode(
      await rate(
        guarded.tenantId,
        a,
        { user_id: a.userId, rating: "up" },
        { origin: "https://shop.example" },
      ),
      401,
      "widget_token_required",
    );
    expect(await storedRows(guarded.tenantId)).toEqual([]);
  });
});

describe("feedback in the cabinet", () => {
  let owner: Owner;
  let member: Awaited<ReturnType<typeof seedMember>>;
  let good: Answer;
  let bad: Answer;
  let unrated: Answer;
  beforeAll(async () => {
    owner = await seedOwner();
    member = await seedMember(owner);
    [good, bad, unrated] = await Promise.all([
      answer(owner.tenantId),
      answer(owner.tenantId),
      answer(owner.tenantId),
    ]);
    expect((await rate(owner.tenantId, good, { user_id: good.userId, rating: "up" })).status).toBe(200);
    const down = await rate(owner.tenantId, bad, {
      user_id: bad.userId,
      rating: "down",
      comment: "Too vague",
    });
    expect(down.status).toBe(200);
  });

  it("shows the rating on the answer in the dialog view (null on the others)", async () => {
    const res = await dialogDetail(owner, bad.dialogId);
    expect(res.status).toBe(200);
    const detail = (await res.json()) as Detail;
    const rated = detail.messages.find((m) => m.id === bad.messageId);
    expect(rated?.feedback).toMatchObject({ rating: "down", comment: "Too vague" });
    expect(detail.messages.filter((m) => m.id !== bad.messageId).every((m) => m.feedback === null)).toBe(
      true,
    );
    const plain = (await (await dialogDetail(owner, unrated.dialogId)).json()) as Detail;
    expect(plain.messages.every((m) => m.feedback === null)).toBe(true);
  });

  it("filters the dialog list by rating (up, down, any)", async () => {
    expect(await listed(owner, "rating=up")).toEqual([good.dialogId]);
    expect(await listed(owner, "rating=down")).toEqual([bad.dialogId]);
    expect((await listed(owner, "rating=any")).sort()).toEqual([good.dialogId, bad.dialogId].sort());
    expect(await listed(owner, "")).toHaveLength(3);
    const wrong = await call(`/api/v1/tenants/${owner.tenantId}/me/dialogs?rating=meh`, {
      headers: bearer(owner.token),
    });
    await expectCode(wrong, 422, "validation_failed");
  });

  it("counts the ratings of the period in the usage report", async () => {
    const res = await call(`/api/v1/tenants/${owner.tenantId}/me/usage?from=${today()}&to=${today()}`, {
      headers: bearer(owner.token),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { feedback: unknown }).feedback).toEqual({ up: 1, down: 1 });
    const before = await call(`/api/v1/tenants/${owner.tenantId}/me/usage?from=2026-01-01&to=2026-01-31`, {
      headers: bearer(owner.token),
    });
    expect(((await before.json()) as { feedback: unknown }).feedback).toEqual({ up: 0, down: 0 });
  });

  it("needs a signed-in owner: no token 401; a member sees no visitor dialog and no usage", async () => {
    for (const path of ["me/dialogs?rating=any", `me/dialogs/${bad.dialogId}`, "me/usage"]) {
      expect((await call(`/api/v1/tenants/${owner.tenantId}/${path}`)).status).toBe(401);
    }
    // A member reads only its own dialogs (dialogs-read.ts): the visitors' ones are not among them.
    expect(await listed(member, "rating=any")).toEqual([]);
    await expectCode(await dialogDetail(member, bad.dialogId), 404, "not_found");
    const usage = await call(`/api/v1/tenants/${owner.tenantId}/me/usage`, { headers: bearer(member.token) });
    expect(usage.status).toBe(403);
  });

  it("keeps another tenant's owner out of the ratings", async () => {
    const stranger = await seedOwner();
    await expectCode(
      await call(`/api/v1/tenants/${owner.tenantId}/me/dialogs?rating=any`, {
        headers: bearer(stranger.token),
      }),
      403,
      "forbidden",
    );
    expect(await listed(stranger, "rating=any")).toEqual([]);
    await expectCode(await dialogDetail(stranger, bad.dialogId), 404, "not_found");
  });

  it("puts the rating into the dialogs export (JSON lines)", async () => {
    const res = await call(`/api/v1/tenants/${owner.tenantId}/me/dialogs/export?format=jsonl`, {
      headers: bearer(owner.token),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const lines = (await res.text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; messages: Array<{ id: string; feedback: unknown }> });
    const line = lines.find((l) => l.id === bad.dialogId);
    expect(line?.messages.find((m) => m.id === bad.messageId)?.feedback).toEqual({
      rating: "down",
      comment: "Too vague",
    });
    expect(line?.messages.find((m) => m.id !== bad.messageId)?.feedback).toBeNull();
  });
});
