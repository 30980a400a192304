/**
 * Usage recording: each reply's `usage` from the model reaches `usage_daily` (tenant, UTC day, dialog)
 * through the dialog's sync statement, exactly once however often that statement is repeated.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { DialogObject } from "../../src/durable-objects/dialog-object.ts";
import { DialogStore } from "../../src/durable-objects/dialog-store.ts";
import { type Owner, seedOwner } from "../helpers/accounts.ts";
import { usageAfter, usageRows } from "../helpers/budget.ts";
import { chat, chatJson, storedMessages, visitor } from "../helpers/chat.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";

const today = () => new Date().toISOString().slice(0, 10);

async function send(tenantId: string, message: string, dialogId?: string, user = visitor()) {
  const res = await chatJson(tenantId, {
    user_id: user,
    message,
    ...(dialogId ? { dialog_id: dialogId } : {}),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { dialog_id: string; message_id: string; status: string };
}

/** Marks every message of the dialog as not yet in Postgres and runs its sync again: a lost answer. */
function resync(dialogId: string): Promise<void> {
  return runInDurableObject(env.DIALOGS.getByName(dialogId), async (instance: DialogObject, state) => {
    state.storage.sql.exec("UPDATE messages SET synced = 0");
    await (instance as unknown as { syncLoop: { sync(): Promise<void> } }).syncLoop.sync();
  });
}

describe("usage per tenant, day and dialog", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("adds each reply's prompt and completion tokens to its dialog's row of the UTC day", async () => {
    const tag = await script({
      reply: "Конечно, помогу.",
      usage: { prompt_tokens: 120, completion_tokens: 30 },
    });
    const user = visitor();
    const first = await send(owner.tenantId, `один ${tag}`, undefined, user);
    await send(owner.tenantId, `два ${tag}`, first.dialog_id, user);
    const other = dialogIdOf(await readSse(await chat(owner.tenantId, { user_id: visitor(), message: tag })));
    const rows = await usageAfter(owner.tenantId, 3);
    const byDialog = new Map(rows.map((r) => [r.dialogId, r]));
    expect(rows.every((r) => r.day === today())).toBe(true);
    expect(byDialog.get(first.dialog_id)).toMatchObject({
      promptTokens: 240,
      completionTokens: 60,
      replies: 2,
    });
    expect(byDialog.get(other)).toMatchObject({ promptTokens: 120, completionTokens: 30, replies: 1 });
    // The message rows keep the usage too, as the model reported it.
    const stored = await storedMessages(first.dialog_id, 4);
    expect(stored[1]?.usage).toMatchObject({ promptTokens: 120, completionTokens: 30, totalTokens: 150 });
  });

  it("counts nothing for replies without usage: failed, cut off, or a model that sent none", async () => {
    const o = await seedOwner();
    const failed = await script({ status: 500 });
    const cut = await script({ reply: "a long answer that breaks", chunkSize: 3, dropAfterChunks: 2 });
    const silent = await script({ reply: "no usage from me", usage: null });
    const counted = await script({ reply: "ok", usage: { prompt_tokens: 7, completion_tokens: 1 } });
    expect((await chatJson(o.tenantId, { user_id: visitor(), message: failed })).status).toBe(503);
    const cutEvents = await readSse(await chat(o.tenantId, { user_id: visitor(), message: cut }));
    expect(cutEvents.at(-1)?.event).toBe("error");
    const none = await send(o.tenantId, silent);
    expect(none.status).toBe("complete");
    await storedMessages(none.dialog_id, 2);
    await send(o.tenantId, counted);
    const rows = await usageAfter(o.tenantId, 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ promptTokens: 7, completionTokens: 1, replies: 1 });
  });

  it("does not count twice when the sync statement is repeated after its answer was lost", async () => {
    const o = await seedOwner();
    const tag = await script({ reply: "twice?", usage: { prompt_tokens: 50, completion_tokens: 5 } });
    const user = visitor();
    const a = await send(o.tenantId, tag, undefined, user);
    await send(o.tenantId, tag, a.dialog_id, user);
    const before = await usageAfter(o.tenantId, 2);
    expect(before[0]).toMatchObject({ promptTokens: 100, completionTokens: 10, replies: 2 });
    await resync(a.dialog_id);
    await resync(a.dialog_id);
    expect(await usageRows(o.tenantId)).toEqual(before);
    expect(await storedMessages(a.dialog_id, 4)).toHaveLength(4);
  });

  it("counts a reply first stored without usage once, when its usage arrives", async () => {
    const o = await seedOwner();
    const tag = await script({ reply: "ok", usage: { prompt_tokens: 1, completion_tokens: 1 } });
    const { dialog_id } = await send(o.tenantId, tag);
    await usageAfter(o.tenantId, 1);
    // A reply row that reached Postgres without usage (e.g. synced while recovering) gets it later.
    await runInDurableObject(env.DIALOGS.getByName(dialog_id), async (instance: DialogObject, state) => {
      const store = new DialogStore(state.storage.sql);
      const reply = store.history(100_000, 100).at(-1);
      if (!reply) throw new Error("no reply stored");
      store.putMessage({ ...reply, seq: reply.seq + 1, id: crypto.randomUUID(), usage: null });
      await (instance as unknown as { syncLoop: { sync(): Promise<void> } }).syncLoop.sync();
      store.putMessage({
        ...reply,
        seq: reply.seq + 1,
        id: crypto.randomUUID(),
        usage: { promptTokens: 30 },
      });
      await (instance as unknown as { syncLoop: { sync(): Promise<void> } }).syncLoop.sync();
    });
    await resync(dialog_id);
    const rows = await usageRows(o.tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ promptTokens: 31, completionTokens: 1, replies: 2 });
  });

  it("keeps tenants apart", async () => {
    const a = await seedOwner();
    const b = await seedOwner();
    const tag = await script({ reply: "hi", usage: { prompt_tokens: 3, completion_tokens: 4 } });
    await send(a.tenantId, tag);
    await usageAfter(a.tenantId, 1);
    expect(await usageRows(b.tenantId)).toEqual([]);
  });
});
