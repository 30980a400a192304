/**
 * The seed's chat API keeps its conversation (issue 18, part 1): a message without `dialog_id` continues the
 * visitor's latest web dialog, subject to the tenant's conversation policy; `new_dialog: true` starts a new
 * one; another visitor never lands in it; the lookup of a warm visitor needs no Postgres (their directory
 * object answers it, src/durable-objects/visitor-directory.ts).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { dialogs } from "../../src/db/schema.ts";
import { visitorDirectoryName } from "../../src/durable-objects/visitor-directory.ts";
import type { Bindings } from "../../src/env.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { chat, chatJson, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { callJson, readError } from "../helpers/http.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";

const HOUR = 3_600_000;

/** The JSON chat's dialog id (and that it answered 200). */
async function send(tenantId: string, body: Record<string, unknown>, headers: HeadersInit = {}) {
  const res = await chatJson(tenantId, body, headers);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { dialog_id: string }).dialog_id;
}

const directory = (tenantId: string, user: string) =>
  env.VISITORS.getByName(visitorDirectoryName(tenantId, user));

/** The directory object's inside, for the tests that reach into it. */
interface DirectoryInside {
  entry: unknown;
  env: Bindings;
  loadFromDatabase: (tenantId: string, visitorId: string) => Promise<unknown>;
}

/** Waits until the directory names `dialogId` (the dialog object records it off the turn's path). */
async function recorded(tenantId: string, user: string, dialogId: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await directory(tenantId, user).latest(tenantId, user))?.dialogId !== dialogId) {
    if (Date.now() > deadline) throw new Error(`directory never named ${dialogId}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const putSettings = (o: Owner, body: unknown) =>
  callJson("PUT", `/api/v1/tenants/${o.tenantId}/me/embed/settings`, body, bearer(o.token));

describe("a message without dialog_id", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("continues the visitor's latest dialog, on the SSE and the JSON route", async () => {
    const user = visitor();
    const first = dialogIdOf(await readSse(await chat(owner.tenantId, { user_id: user, message: "one" })));
    expect(await send(owner.tenantId, { user_id: user, message: "two" })).toBe(first);
    const third = await readSse(await chat(owner.tenantId, { user_id: user, message: "three" }));
    expect(dialogIdOf(third)).toBe(first);
    const rows = await storedMessages(first, 6);
    expect(rows.filter((r) => r.role === "user").map((r) => r.content)).toEqual(["one", "two", "three"]);
  });

  it("starts a new dialog with new_dialog: true, and later messages continue that one", async () => {
    const user = visitor();
    const first = await send(owner.tenantId, { user_id: user, message: "one" });
    const second = await send(owner.tenantId, { user_id: user, message: "again", new_dialog: true });
    expect(second).not.toBe(first);
    expect(await send(owner.tenantId, { user_id: user, message: "more" })).toBe(second);
    // A message naming the older dialog makes it the latest again (as the widget does).
    expect(await send(owner.tenantId, { user_id: user, message: "back", dialog_id: first })).toBe(first);
    await recorded(owner.tenantId, user, first);
    expect(await send(owner.tenantId, { user_id: user, message: "and on" })).toBe(first);
  });

  it("refuses dialog_id together with new_dialog: true (422)", async () => {
    const user = visitor();
    const dialogId = await send(owner.tenantId, { user_id: user, message: "one" });
    const res = await chatJson(owner.tenantId, {
      user_id: user,
      message: "x",
      dialog_id: dialogId,
      new_dialog: true,
    });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.issues?.[0]?.path).toBe("new_dialog");
  });

  it("never continues another visitor's dialog", async () => {
    const alice = visitor();
    const bob = visitor();
    const hers = await send(owner.tenantId, { user_id: alice, message: "alice here" });
    const his = await send(owner.tenantId, { user_id: bob, message: "bob here" });
    expect(his).not.toBe(hers);
    expect(await send(owner.tenantId, { user_id: bob, message: "bob again" })).toBe(his);
    expect(await send(owner.tenantId, { user_id: alice, message: "alice again" })).toBe(hers);
    // Naming her dialog does not help him either.
    const named = await chatJson(owner.tenantId, { user_id: bob, message: "hi", dialog_id: hers });
    expect(named.status).toBe(404);
    // The same visitor id at another tenant is another visitor.
    const other = await seedOwner();
    expect(await send(other.tenantId, { user_id: alice, message: "elsewhere" })).not.toBe(hers);
    const rows = await storedMessages(hers, 4);
    expect(rows.filter((r) => r.role === "user").map((r) => r.content)).toEqual([
      "alice here",
      "alice again",
    ]);
  });

  it("starts anew when the dialog Postgres names is unknown to its object", async () => {
    const user = visitor();
    const stray = crypto.randomUUID();
    // A dialog row no dialog object ever wrote (data from elsewhere): the directory's cold lookup finds it.
    await withDb((h) =>
      h.db.insert(dialogs).values({ id: stray, tenantId: owner.tenantId, channel: "web", visitorId: user }),
    );
    const dialogId = await send(owner.tenantId, { user_id: user, message: "hello" });
    expect(dialogId).not.toBe(stray);
    expect(await send(owner.tenantId, { user_id: user, message: "again" })).toBe(dialogId);
  });
});

describe("the conversation policy", () => {
  it("reset_after_hours: continues within the idle time, starts a new dialog after it", async () => {
    const owner = await seedOwner();
    const put = await putSettings(owner, {
      allowed_origins: [],
      conversation: { policy: "reset_after_hours", hours: 1 },
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const user = visitor();
    const first = await send(owner.tenantId, { user_id: user, message: "one" });
    expect(await send(owner.tenantId, { user_id: user, message: "two" })).toBe(first);
    await recorded(owner.tenantId, user, first);
    // The visitor was last active two hours ago.
    await runInDurableObject(directory(owner.tenantId, user), (instance, state) => {
      state.storage.sql.exec("UPDATE latest SET at = ?", Date.now() - 2 * HOUR);
      (instance as unknown as DirectoryInside).entry = undefined;
    });
    const second = await send(owner.tenantId, { user_id: user, message: "after a break" });
    expect(second).not.toBe(first);
    expect(await send(owner.tenantId, { user_id: user, message: "go on" })).toBe(second);
  });

  it("new_on_reload: every message without dialog_id starts a new dialog; dialog_id still continues", async () => {
    const owner = await seedOwner();
    expect(
      (await putSettings(owner, { allowed_origins: [], conversation: { policy: "new_on_reload" } })).status,
    ).toBe(200);
    const user = visitor();
    const first = await send(owner.tenantId, { user_id: user, message: "one" });
    const second = await send(owner.tenantId, { user_id: user, message: "two" });
    expect(second).not.toBe(first);
    expect(await send(owner.tenantId, { user_id: user, message: "three", dialog_id: second })).toBe(second);
  });
});

describe("the lookup of a warm visitor", () => {
  it("asks Postgres once for a visitor it never heard of, then never again, even while Postgres is away", async () => {
    const owner = await seedOwner();
    const user = visitor();
    const first = await send(owner.tenantId, { user_id: user, message: "one" });
    await storedMessages(first, 2);
    await recorded(owner.tenantId, user, first);
    const stub = directory(owner.tenantId, user);
    // The object forgets everything (as if it predated this visitor's dialog) and counts its Postgres reads.
    let loads = 0;
    await runInDurableObject(stub, (instance, state) => {
      const inside = instance as unknown as DirectoryInside;
      const load = inside.loadFromDatabase.bind(instance);
      inside.loadFromDatabase = (tenantId, visitorId) => {
        loads += 1;
        return load(tenantId, visitorId);
      };
      state.storage.sql.exec("DELETE FROM latest");
      inside.entry = undefined;
    });
    expect(await send(owner.tenantId, { user_id: user, message: "cold" })).toBe(first);
    expect(loads).toBe(1);
    // Postgres becomes unreachable for the object, and its memory is dropped: its own SQLite answers.
    await runInDurableObject(stub, (instance) => {
      const inside = instance as unknown as DirectoryInside;
      inside.env = {
        ...inside.env,
        HYPERDRIVE: { connectionString: "postgres://nobody:nothing@127.0.0.1:1/none" } as Hyperdrive,
        DATABASE_URL: undefined,
      };
      inside.entry = undefined;
    });
    for (const message of ["warm 1", "warm 2"])
      expect(await send(owner.tenantId, { user_id: user, message })).toBe(first);
    expect(loads).toBe(1);
  });

  it("a first lookup that cannot reach Postgres starts a new dialog instead of failing the message", async () => {
    const owner = await seedOwner();
    const user = visitor();
    await runInDurableObject(directory(owner.tenantId, user), (instance) => {
      const inside = instance as unknown as DirectoryInside;
      inside.loadFromDatabase = () => Promise.reject(new Error("connect ECONNREFUSED"));
    });
    const first = await send(owner.tenantId, { user_id: user, message: "hello" });
    expect(await send(owner.tenantId, { user_id: user, message: "again" })).toBe(first);
  });
});
