/**
 * Nothing is lost when the dialog's object stops mid-turn: the answer being written is kept (partial or
 * failed) and a turn still waiting in the queue keeps its visitor message, both synced to Postgres when
 * the object starts again.
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { chat, chatJson, DEMO, storedMessages, visitor } from "../helpers/chat.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("an object that stops mid-turn", () => {
  it("keeps the running answer and the queued visitor message", async () => {
    const user = visitor();
    const opening = await readSse(await chat(DEMO, { user_id: user, message: "hello" }));
    const dialogId = dialogIdOf(opening);
    await storedMessages(dialogId, 2);

    const stall = await script({ reply: "never finished", chunkSize: 3, stallAfterChunks: 2 });
    const running = await chat(DEMO, { user_id: user, message: `first ${stall}`, dialog_id: dialogId });
    const reader = running.body?.getReader();
    await reader?.read();
    // A second turn waits behind the stalled one, accepted but not yet run.
    const queued = chatJson(DEMO, { user_id: user, message: "queued behind", dialog_id: dialogId });
    await sleep(200);

    // A crash, not a graceful eviction: the object is reset with its turn and queue in flight.
    await runInDurableObject(env.DIALOGS.getByName(dialogId), (_instance, state) => {
      state.abort("test: crash mid-turn");
    }).catch(() => {});
    await reader?.cancel().catch(() => {});
    // The queued caller is told to retry (503), never a 500; its message is kept all the same.
    const queuedStatus = await queued.then((r) => r.status).catch(() => 0);
    expect([200, 503, 0]).toContain(queuedStatus);
    // The next call starts the object again; its recovery syncs what the old instance had.
    await chatJson(DEMO, { user_id: user, message: "after restart", dialog_id: dialogId });

    const rows = await storedMessages(dialogId, 7, 10_000);
    const texts = rows.map((r) => `${r.role}:${r.status}:${r.content.replace(stall, "").trim()}`);
    expect(texts.slice(0, 4)).toEqual([
      expect.stringMatching(/^user:complete:hello$/),
      expect.stringMatching(/^assistant:complete:/),
      "user:complete:first",
      expect.stringMatching(/^assistant:(partial|failed):/),
    ]);
    expect(texts).toContain("user:complete:queued behind");
    expect(texts.at(-2)).toBe("user:complete:after restart");
    expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
  }, 30_000);

  it("serves the tenant's last known prompt while Postgres cannot be read, never after a change", async () => {
    const stub = env.TENANTS.getByName(DEMO);
    const fresh = await stub.snapshot(DEMO);
    expect(fresh?.tenantId).toBe(DEMO);
    // Postgres goes away and the cached snapshot expires.
    const breakDatabase = () =>
      runInDurableObject(stub, (instance) => {
        const object = instance as unknown as {
          load: () => Promise<unknown>;
          cached?: { loadedAt: number };
        };
        object.load = () => Promise.reject(new Error("connect ECONNREFUSED"));
        if (object.cached) object.cached.loadedAt = 0;
      });
    await breakDatabase();
    const during = await stub.snapshot(DEMO);
    expect(during?.userPrompt).toBe(fresh?.userPrompt);
    // After a change nobody may be served the old prompt: the copy is gone, the failure shows.
    await stub.invalidate();
    await breakDatabase();
    const failure = await stub.snapshot(DEMO).then(
      () => null,
      (err: unknown) => err,
    );
    expect(String(failure)).toMatch(/ECONNREFUSED/);
    // A restarted object reads Postgres again (the broken `load` was only on that instance).
    await runInDurableObject(stub, (_instance, state) => state.abort("test: restart")).catch(() => {});
    expect((await env.TENANTS.getByName(DEMO).snapshot(DEMO))?.tenantId).toBe(DEMO);
  });
});
