/**
 * The first-hour checklist (GET/PUT .../me/onboarding): a fresh tenant has nothing done, each step ticks
 * from the tenant's data (a chunk written, a web answer, allowed origins or a real embed load, a bot, a
 * second account), the owner hides and reopens it, a member reads it but may not hide it, and access.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tenants } from "../../src/db/schema.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chatJson, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { publishPrompt } from "../helpers/prompt.ts";
import { connectBot } from "../helpers/telegram.ts";

interface Checklist {
  steps: Array<{ id: string; done: boolean }>;
  dismissed: boolean;
  complete: boolean;
}

const path = (o: Pick<Owner, "tenantId">) => `/api/v1/tenants/${o.tenantId}/me/onboarding`;
const get = (o: Pick<Owner, "tenantId">, token: string) => call(path(o), { headers: bearer(token) });
const put = (o: Pick<Owner, "tenantId">, token: string, body: unknown) =>
  callJson("PUT", path(o), body, bearer(token));

async function checklist(o: Owner): Promise<Checklist> {
  const res = await get(o, o.token);
  expect(res.status).toBe(200);
  return (await res.json()) as Checklist;
}
const done = async (o: Owner) =>
  Object.fromEntries((await checklist(o)).steps.map((s) => [s.id, s.done])) as Record<string, boolean>;

describe("onboarding checklist", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("starts with every step open, in display order, not dismissed", async () => {
    expect(await checklist(owner)).toEqual({
      steps: [
        { id: "teach", done: false },
        { id: "publish", done: false },
        { id: "try_chat", done: false },
        { id: "embed", done: false },
        { id: "telegram", done: false },
        { id: "invite", done: false },
      ],
      dismissed: false,
      complete: false,
    });
  });

  it("ticks each step from the tenant's data, and is complete when all are", async () => {
    // teach: a chunk written by a person (the prompt editor here; the setup chat writes the same way).
    const chunk = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/me/prompt/chunks`,
      { question: "Opening hours?", text: "Open 9 to 18, Monday to Friday." },
      bearer(owner.token),
    );
    expect(chunk.status).toBe(201);
    expect(await done(owner)).toMatchObject({ teach: true, publish: false, try_chat: false });

    // publish: a published version holds a chunk.
    await publishPrompt(owner);
    expect(await done(owner)).toMatchObject({ publish: true, try_chat: false });

    // try_chat: a visitor's web conversation got an answer.
    const tag = await script({ reply: "We open at 9." });
    const res = await chatJson(owner.tenantId, { user_id: visitor(), message: `when do you open? ${tag}` });
    expect(res.status).toBe(200);
    await storedMessages(((await res.json()) as { dialog_id: string }).dialog_id, 2);
    expect(await done(owner)).toMatchObject({ try_chat: true, embed: false });

    // embed: the embed page served for a page on another site (the widget's iframe sends its Referer).
    const page = await call(`/${owner.slug}/chat/embed`, {
      headers: { referer: "https://shop.example.org/products/1", "sec-fetch-dest": "iframe" },
    });
    expect(page.status).toBe(200);
    await page.text();
    const seen = await withDb((h) =>
      h.db.select({ s: tenants.settings }).from(tenants).where(eq(tenants.id, owner.tenantId)),
    );
    expect(seen[0]?.s.embedSeen?.origin).toBe("https://shop.example.org");
    expect(await done(owner)).toMatchObject({ embed: true, telegram: false });

    await connectBot(owner);
    expect(await done(owner)).toMatchObject({ telegram: true, invite: false });

    await seedMember(owner);
    const all = await checklist(owner);
    expect(all.steps.every((s) => s.done)).toBe(true);
    expect(all.complete).toBe(true);
  });

  it("does not tick teach for chunks nobody wrote, nor try_chat for the setup chat", async () => {
    const fresh = await seedOwner();
    // A chunk put in without a revision (as a migration or an import would).
    await withDb((h) =>
      h.db.execute(
        sql`insert into prompt_chunks (tenant_id, position, question, text) values (${fresh.tenantId}, 1, 'q', 't')`,
      ),
    );
    const tag = await script({ reply: "Hello owner." });
    const admin = await callJson(
      "POST",
      `/api/v1/tenants/${fresh.tenantId}/admin/chat/message`,
      { message: `hi ${tag}` },
      bearer(fresh.token),
    );
    expect(admin.status).toBe(200);
    await storedMessages(((await admin.json()) as { dialog_id: string }).dialog_id, 2);
    expect(await done(fresh)).toMatchObject({ teach: false, try_chat: false });
  });

  it("ticks embed when allowed sites are listed", async () => {
    const fresh = await seedOwner();
    const res = await callJson(
      "PUT",
      `/api/v1/tenants/${fresh.tenantId}/me/embed/settings`,
      { allowed_origins: ["https://shop.example.com"] },
      bearer(fresh.token),
    );
    expect(res.status).toBe(200);
    expect(await done(fresh)).toMatchObject({ embed: true });
  });

  it("does not tick embed for the tenant's own chat page", async () => {
    const fresh = await seedOwner();
    const page = await call(`/${fresh.slug}/chat/embed`, { headers: { "sec-fetch-dest": "document" } });
    expect(page.status).toBe(200);
    await page.text();
    expect(await done(fresh)).toMatchObject({ embed: false });
  });

  it("lets the owner hide it and show it again, keeping other settings", async () => {
    const fresh = await seedOwner();
    await callJson(
      "PUT",
      `/api/v1/tenants/${fresh.tenantId}/me/embed/settings`,
      { allowed_origins: ["https://a.example.com"] },
      bearer(fresh.token),
    );
    const hidden = await put(fresh, fresh.token, { dismissed: true });
    expect(hidden.status).toBe(200);
    expect(((await hidden.json()) as Checklist).dismissed).toBe(true);
    expect((await checklist(fresh)).dismissed).toBe(true);
    const shown = await put(fresh, fresh.token, { dismissed: false });
    expect(((await shown.json()) as Checklist).dismissed).toBe(false);
    const [row] = await withDb((h) =>
      h.db.select({ s: tenants.settings }).from(tenants).where(eq(tenants.id, fresh.tenantId)),
    );
    expect(row?.s.allowedOrigins).toEqual(["https://a.example.com"]);
    expect(row?.s.onboarding).toEqual({ dismissed: false });
  });

  it("refuses a body that is not {dismissed: boolean}", async () => {
    for (const body of [{}, { dismissed: "yes" }, { dismissed: true, steps: [] }]) {
      const res = await put(owner, owner.token, body);
      expect(res.status).toBe(422);
      expect((await readError(res)).error.code).toBe("validation_failed");
    }
  });

  it("lets a member read it but not hide it", async () => {
    const fresh = await seedOwner();
    const member = await seedMember(fresh);
    const read = await get(fresh, member.token);
    expect(read.status).toBe(200);
    expect(((await read.json()) as Checklist).steps.find((s) => s.id === "invite")?.done).toBe(true);
    const hide = await put(fresh, member.token, { dismissed: true });
    expect(hide.status).toBe(403);
    expect((await checklist(fresh)).dismissed).toBe(false);
  });

  it("needs a token (401) and refuses another tenant's (403)", async () => {
    const res = await call(path(owner));
    expect(res.status).toBe(401);
    expect((await readError(res)).error.code).toBe("unauthorized");
    expect((await callJson("PUT", path(owner), { dismissed: true })).status).toBe(401);
    const other = await seedOwner();
    expect((await get(owner, other.token)).status).toBe(403);
    expect((await put(owner, other.token, { dismissed: true })).status).toBe(403);
    expect((await checklist(owner)).dismissed).toBe(false);
  });
});
