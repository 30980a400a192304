/** The owner's base prompt: default or own text, limits, history, restore, access, and the next turn's prompt. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tenants } from "../../src/db/schema.ts";
import { USER_CHAT_PROMPT } from "../../src/prompts/user-chat-prompt.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { publishPrompt } from "../helpers/prompt.ts";
import { readSse } from "../helpers/sse.ts";

interface Revision {
  id: string;
  action: "update" | "reset" | "restore";
  before: string | null;
  after: string | null;
  channel: "cabinet" | "admin_chat";
  author: { id: string; email: string; name: string | null } | null;
  created_at: string;
}
interface Base {
  text: string;
  is_default: boolean;
  updated_at: string | null;
  limits: { max_chars: number };
  revision?: Revision | null;
}

const path = (o: Owner, rest = "") => `/api/v1/tenants/${o.tenantId}/me/prompt/base${rest}`;
const get = async (o: Owner): Promise<Base> => {
  const res = await call(path(o), { headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Base;
};
const put = (o: Owner, text: string) => callJson("PUT", path(o), { text }, bearer(o.token));
const putOk = async (o: Owner, text: string): Promise<Base> => {
  const res = await put(o, text);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Base;
};
const history = async (o: Owner, query = ""): Promise<{ items: Revision[]; next_cursor: string | null }> => {
  const res = await call(path(o, `/history${query}`), { headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { items: Revision[]; next_cursor: string | null };
};
const restore = (o: Owner, id: string, headers = bearer(o.token)) =>
  call(path(o, `/history/${id}/restore`), { method: "POST", headers });
const stored = (tenantId: string) =>
  withDb(async ({ db }) => {
    const [row] = await db
      .select({ settings: tenants.settings, version: tenants.promptVersion })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    return row;
  });
const systemPromptOfNextTurn = async (o: Owner): Promise<string> => {
  const tag = await script({ reply: "ok" });
  await readSse(await chat(o.tenantId, { user_id: visitor(), message: `hi ${tag}` }));
  return (await requestsFor(tag))[0]?.messages[0]?.content ?? "";
};

describe("base prompt", () => {
  it("answers the platform default until the owner sets one", async () => {
    const o = await seedOwner();
    const base = await get(o);
    expect(base).toEqual({
      text: USER_CHAT_PROMPT.trim(),
      is_default: true,
      updated_at: null,
      limits: { max_chars: 8000 },
    });
  });

  it("stores the owner's text (trimmed), bumps the prompt version, and the next visitor turn uses it", async () => {
    const o = await seedOwner();
    expect(await systemPromptOfNextTurn(o)).toContain(USER_CHAT_PROMPT.trim().slice(0, 200));
    const before = (await stored(o.tenantId))?.version ?? 0;
    const changed = await putOk(o, "  You are Mila, the bakery's assistant. Answer in two sentences.  ");
    expect(changed).toMatchObject({
      text: "You are Mila, the bakery's assistant. Answer in two sentences.",
      is_default: false,
      revision: { action: "update", before: null, channel: "cabinet", author: { id: o.userId } },
    });
    expect(changed.updated_at).toBe(changed.revision?.created_at);
    const row = await stored(o.tenantId);
    expect(row?.settings.basePrompt).toBe("You are Mila, the bakery's assistant. Answer in two sentences.");
    expect(row?.version).toBe(before + 1);
    await publishPrompt(o);
    const system = await systemPromptOfNextTurn(o);
    expect(system.startsWith("You are Mila, the bakery's assistant.")).toBe(true);
    expect(system).not.toContain(USER_CHAT_PROMPT.trim().slice(0, 200));
    // The cabinet preview shows exactly what the model got.
    const preview = await call(`/api/v1/tenants/${o.tenantId}/me/prompt/preview`, {
      headers: bearer(o.token),
    });
    expect(((await preview.json()) as { prompt: string }).prompt).toBe(system);
    // The same text again changes nothing.
    expect(
      (await putOk(o, "You are Mila, the bakery's assistant. Answer in two sentences.")).revision,
    ).toBeNull();
    expect((await history(o)).items).toHaveLength(1);
  });

  it("empty text goes back to the default (a `reset` revision)", async () => {
    const o = await seedOwner();
    await putOk(o, "Own base");
    const reset = await putOk(o, "   ");
    expect(reset).toMatchObject({ text: USER_CHAT_PROMPT.trim(), is_default: true });
    expect(reset.revision).toMatchObject({ action: "reset", before: "Own base", after: null });
    expect((await stored(o.tenantId))?.settings.basePrompt).toBeUndefined();
    expect(await systemPromptOfNextTurn(o)).toContain(USER_CHAT_PROMPT.trim().slice(0, 200));
  });

  it("refuses text over 8000 characters and a body without text, changing nothing", async () => {
    const o = await seedOwner();
    await putOk(o, "Keep me");
    const long = await put(o, "я".repeat(8001));
    expect(long.status).toBe(422);
    expect((await readError(long)).error.code).toBe("validation_failed");
    expect((await putOk(o, `${"я".repeat(8000)}`)).text).toHaveLength(8000);
    await putOk(o, "Keep me");
    for (const body of [{}, { text: 5 }, { text: "x", extra: 1 }]) {
      const res = await callJson("PUT", path(o), body, bearer(o.token));
      expect(res.status).toBe(422);
    }
    expect((await get(o)).text).toBe("Keep me");
  });

  it("lists the history newest first, pages it, and restores an earlier text as a new revision", async () => {
    const o = await seedOwner();
    await putOk(o, "v1");
    await putOk(o, "v2");
    await putOk(o, "");
    const { items } = await history(o);
    expect(items.map((r) => [r.action, r.before, r.after])).toEqual([
      ["reset", "v2", null],
      ["update", "v1", "v2"],
      ["update", null, "v1"],
    ]);
    const first = await history(o, "?limit=2");
    expect(first.items).toHaveLength(2);
    const second = await history(o, `?limit=2&cursor=${first.next_cursor}`);
    expect(second.items.map((r) => r.after)).toEqual(["v1"]);
    expect(second.next_cursor).toBeNull();

    const v1 = items[2] as Revision;
    const res = await restore(o, v1.id);
    expect(res.status).toBe(200);
    const restored = (await res.json()) as Base;
    expect(restored).toMatchObject({ text: "v1", is_default: false });
    expect(restored.revision).toMatchObject({ action: "restore", before: null, after: "v1" });
    await publishPrompt(o);
    expect((await systemPromptOfNextTurn(o)).startsWith("v1")).toBe(true);
    // Restoring what is already there: no new revision.
    expect(((await (await restore(o, v1.id)).json()) as Base).revision).toBeNull();
    // Restoring the reset brings the default back.
    const resetRes = await restore(o, items[0]?.id as string);
    expect(((await resetRes.json()) as Base).is_default).toBe(true);
  });

  it("is for the tenant's owners: no token 401, member 403, another tenant's owner 403, foreign revision 404", async () => {
    const o = await seedOwner();
    const member = await seedMember(o);
    const other = await seedOwner();
    await putOk(o, "Only mine");
    await putOk(other, "Theirs");
    const [mine] = (await history(o)).items as [Revision];
    const [theirs] = (await history(other)).items as [Revision];
    for (const headers of [{}, bearer(member.token), bearer(other.token)]) {
      const expected = "authorization" in headers ? 403 : 401;
      const read = await call(path(o), { headers });
      expect(read.status).toBe(expected);
      expect(await read.text()).not.toContain("Only mine");
      expect((await callJson("PUT", path(o), { text: "hacked" }, headers)).status).toBe(expected);
      expect((await call(path(o, "/history"), { headers })).status).toBe(expected);
      expect((await restore(o, mine.id, headers as ReturnType<typeof bearer>)).status).toBe(expected);
    }
    for (const id of [theirs.id, crypto.randomUUID()]) {
      const res = await restore(o, id);
      expect(res.status).toBe(404);
      expect((await readError(res)).error.code).toBe("not_found");
    }
    expect((await restore(o, "not-a-uuid")).status).toBe(422);
    expect((await get(o)).text).toBe("Only mine");
    expect((await get(other)).text).toBe("Theirs");
  });
});
