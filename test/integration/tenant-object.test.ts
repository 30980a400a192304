/**
 * The tenant object's prompt cache (src/durable-objects/tenant-object.ts): nothing kept per dialog, an
 * invalidation that calls no dialog however many hold a copy, and still "the next turn of any dialog sees
 * the change" (each dialog compares its copy's epoch with the tenant object's, answered from memory).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { TenantObject } from "../../src/durable-objects/tenant-object.ts";
import type { Bindings } from "../../src/env.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { callJson } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { publishPrompt } from "../helpers/prompt.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";

/** Starts `count` dialogs of the tenant (each takes the tenant's snapshot) and returns their ids. */
async function warmDialogs(
  owner: Owner,
  tag: string,
  count: number,
): Promise<Array<{ id: string; user: string }>> {
  const out: Array<{ id: string; user: string }> = [];
  for (let i = 0; i < count; i++) {
    const user = visitor();
    const events = await readSse(await chat(owner.tenantId, { user_id: user, message: `hello ${i} ${tag}` }));
    out.push({ id: dialogIdOf(events), user });
  }
  return out;
}

const addChunk = (owner: Owner, text: string) =>
  callJson(
    "POST",
    `/api/v1/tenants/${owner.tenantId}/me/prompt/chunks`,
    { question: "Есть ли доставка?", text },
    bearer(owner.token),
  );

describe("TenantObject", () => {
  it("keeps nothing per dialog, and an invalidation calls no dialog", async () => {
    const owner = await seedOwner();
    const tag = await script({ reply: "ok" });
    const dialogs = await warmDialogs(owner, tag, 12);
    const stub = env.TENANTS.getByName(owner.tenantId);
    const dialogCalls = await runInDurableObject(stub, async (instance: TenantObject, state) => {
      // Every row the object stores, whatever its tables: none names a dialog.
      const tables = state.storage.sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
        )
        .toArray()
        .map((t) => t.name);
      const stored = tables
        .map((t) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${t}"`).toArray()))
        .join("\n");
      for (const d of dialogs) expect(stored).not.toContain(d.id);

      let calls = 0;
      const self = instance as unknown as { env: Bindings };
      const real = self.env;
      self.env = {
        ...real,
        DIALOGS: new Proxy(real.DIALOGS, {
          get(target, prop) {
            calls += 1;
            return Reflect.get(target, prop, target);
          },
        }),
      };
      try {
        const before = instance.snapshotEpoch();
        await instance.invalidate();
        expect(instance.snapshotEpoch()).toBeGreaterThan(before);
        // Durable: a restarted object starts from the same epoch.
        const row = state.storage.sql.exec<{ value: number }>("SELECT value FROM epoch WHERE id = 1").one();
        expect(row.value).toBe(instance.snapshotEpoch());
      } finally {
        self.env = real;
      }
      return calls;
    });
    expect(dialogCalls).toBe(0);
  });

  it("every warm dialog's next turn sees a change made in the cabinet", async () => {
    const owner = await seedOwner();
    const tag = await script({ reply: "ok" });
    const dialogs = await warmDialogs(owner, tag, 3);
    const text = `Да, за ${crypto.randomUUID().slice(0, 8)} дня.`;
    expect((await addChunk(owner, text)).status).toBe(201);
    await publishPrompt(owner);
    for (const d of dialogs) {
      await readSse(
        await chat(owner.tenantId, { user_id: d.user, message: `again ${tag}`, dialog_id: d.id }),
      );
    }
    const requests = await requestsFor(tag);
    expect(requests).toHaveLength(6);
    for (const first of requests.slice(0, 3)) expect(first.messages[0]?.content).not.toContain(text);
    for (const next of requests.slice(3)) expect(next.messages[0]?.content).toContain(text);
  });
});
