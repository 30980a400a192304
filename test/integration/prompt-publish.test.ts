/**
 * Draft, sandbox, publish (docs/cabinet.md "Draft and publish"): edits go to a draft, visitors keep the
 * published prompt, the sandbox answers with the draft and stores nothing but the owner's usage, publish
 * and discard and restore, and who may call each route.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dialogs, leads, usageDaily } from "../../src/db/schema.ts";
import { sandboxUsageId } from "../../src/services/prompt/sandbox.ts";
import { bearer, expectError, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { platformCall, seedPlatform } from "../helpers/platform.ts";
import { publishPrompt } from "../helpers/prompt.ts";
import { readSse, tokensText } from "../helpers/sse.ts";
import { chatId, connectBot, deliver, textUpdate, waitForCalls } from "../helpers/telegram.ts";

interface Chunk {
  id: string;
  position: number;
  question: string;
  text: string;
}
interface State {
  base_prompt: string;
  is_default_base: boolean;
  welcome_text: string | null;
  starters: string[];
  chunks: Chunk[];
  prompt: string;
}
interface Release extends State {
  version: number;
  published_by: { id: string; email: string } | null;
  restored_from: number | null;
}
interface Draft {
  draft: State;
  published: Release | null;
  has_changes: boolean;
  changes: Record<string, number | boolean>;
  diff: Array<{ op: "same" | "added" | "removed"; text: string }>;
  diff_exact: boolean;
}

const me = (o: Owner, rest = "") => `/api/v1/tenants/${o.tenantId}/me${rest}`;

async function addChunk(o: Owner, question: string, text: string): Promise<Chunk> {
  const res = await callJson("POST", me(o, "/prompt/chunks"), { question, text }, bearer(o.token));
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Chunk;
}
async function draftOf(o: Owner): Promise<Draft> {
  const res = await call(me(o, "/prompt"), { headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Draft;
}
/** The system prompt a visitor's turn sent to the model. */
async function visitorSystem(o: Owner): Promise<string> {
  const tag = await script({ reply: "ok" });
  await readSse(await chat(o.tenantId, { user_id: visitor(), message: tag }));
  return (await requestsFor(tag))[0]?.messages[0]?.content ?? "";
}
function sandbox(o: Owner, body: Record<string, unknown>, token = o.token): Promise<Response> {
  return callJson("POST", me(o, "/prompt/sandbox/chat"), body, bearer(token));
}
async function publicConfig(o: Owner): Promise<{ welcomeText: string | null; starters: string[] }> {
  const res = await call(`/api/v1/tenants/by-slug/${o.slug}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { welcomeText: string | null; starters: string[] };
}

describe("draft and publish", () => {
  it("keeps visitors on the published prompt until publish; the sandbox answers with the draft", async () => {
    const o = await seedOwner();
    const first = await draftOf(o);
    expect(first.published).toBeNull();
    expect(first.has_changes).toBe(true);

    await addChunk(o, "Delivery?", "Free over 50 euros.");
    expect(await visitorSystem(o)).not.toContain("Free over 50 euros.");

    // The sandbox: the draft's prompt, the history the cabinet sent, the message last.
    const tag = await script({ reply: "Delivery is free over 50 euros. Call +7 999 123-45-67." });
    const res = await sandbox(o, {
      message: `${tag} and my phone is +7 916 555-12-34`,
      history: [
        { role: "user", content: "hello" },
        { role: "assistant", content: "Hi!" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await readSse(res);
    expect(tokensText(events)).toContain("free over 50 euros");
    const done = events.find((e) => e.event === "done");
    expect(done?.data).toMatchObject({ sandbox: true, status: "complete" });
    const [request] = await requestsFor(tag);
    expect(request?.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(request?.messages[0]?.content).toContain("### Delivery?\nFree over 50 euros.");

    // Nothing stored for visitors: no dialog, no lead; the tokens are the owner's.
    await withDb(async (h) => {
      const own = await h.db.select().from(dialogs).where(eq(dialogs.tenantId, o.tenantId));
      // At most visitorSystem's own dialog (synced or not yet); none of the owner's.
      expect(own.length).toBeLessThanOrEqual(1);
      expect(own.filter((d) => d.visitorId === o.userId)).toHaveLength(0);
      expect(await h.db.select().from(leads).where(eq(leads.tenantId, o.tenantId))).toHaveLength(0);
      const usage = await h.db
        .select()
        .from(usageDaily)
        .where(
          and(
            eq(usageDaily.tenantId, o.tenantId),
            eq(usageDaily.dialogId, await sandboxUsageId(o.tenantId, o.userId)),
          ),
        );
      expect(usage).toHaveLength(1);
      expect(usage[0]?.replies).toBe(1);
      expect(Number(usage[0]?.promptTokens)).toBeGreaterThan(0);
    });

    const version = await publishPrompt(o);
    expect(version).toBe(1);
    expect(await visitorSystem(o)).toContain("### Delivery?\nFree over 50 euros.");
    const after = await draftOf(o);
    expect(after.has_changes).toBe(false);
    expect(after.published?.version).toBe(1);
    expect(after.published?.published_by?.id).toBe(o.userId);
    expect(after.diff.every((l) => l.op === "same")).toBe(true);
    // Nothing new: publishing again is refused.
    const again = await call(me(o, "/prompt/publish"), { method: "POST", headers: bearer(o.token) });
    await expectError(again, 409, "conflict");
  });

  it("drafts the base prompt, welcome text and starters too, and shows the difference", async () => {
    const o = await seedOwner({ locale: "en" });
    const kept = await addChunk(o, "Hours?", "9 to 18.");
    const gone = await addChunk(o, "Old promo?", "Ten percent off.");
    await publishPrompt(o);

    await callJson("PATCH", me(o, `/prompt/chunks/${kept.id}`), { text: "10 to 19." }, bearer(o.token));
    await call(me(o, `/prompt/chunks/${gone.id}`), { method: "DELETE", headers: bearer(o.token) });
    await addChunk(o, "Parking?", "Behind the building.");
    const base = await callJson("PUT", me(o, "/prompt/base"), { text: "You are Anna." }, bearer(o.token));
    expect(base.status).toBe(200);
    const welcome = await callJson(
      "PUT",
      me(o, "/prompt/welcome"),
      { welcome_text: "  Hello from Anna!  " },
      bearer(o.token),
    );
    expect(await welcome.json()).toMatchObject({ welcome_text: "Hello from Anna!" });
    const starters = await callJson("PUT", me(o, "/starters"), { starters: ["Parking?"] }, bearer(o.token));
    expect(starters.status).toBe(200);

    const d = await draftOf(o);
    expect(d.has_changes).toBe(true);
    expect(d.changes).toEqual({
      base_prompt: true,
      welcome_text: true,
      starters: true,
      chunks_added: 1,
      chunks_removed: 1,
      chunks_changed: 1,
      chunks_moved: 0,
    });
    expect(d.diff).toContainEqual({ op: "added", text: "10 to 19." });
    expect(d.diff).toContainEqual({ op: "removed", text: "9 to 18." });
    expect(d.diff).toContainEqual({ op: "added", text: "You are Anna." });
    expect(d.draft.is_default_base).toBe(false);
    expect(d.published?.is_default_base).toBe(true);

    // Visitors: the published welcome text and starters, and the published prompt.
    expect(await publicConfig(o)).toMatchObject({ welcomeText: null, starters: [] });
    const before = await visitorSystem(o);
    expect(before).toContain("9 to 18.");
    expect(before).not.toContain("You are Anna.");

    await publishPrompt(o);
    expect(await publicConfig(o)).toMatchObject({ welcomeText: "Hello from Anna!", starters: ["Parking?"] });
    const now = await visitorSystem(o);
    expect(now).toContain("You are Anna.");
    expect(now).toContain("### Hours?\n10 to 19.");
    expect(now).not.toContain("Old promo?");
  });

  it("answers Telegram's /start with the published welcome text", async () => {
    const o = await seedOwner({ locale: "en" });
    const bot = await connectBot(o);
    await callJson("PUT", me(o, "/prompt/welcome"), { welcome_text: "Published hello" }, bearer(o.token));
    await publishPrompt(o);
    await callJson("PUT", me(o, "/prompt/welcome"), { welcome_text: "Draft hello" }, bearer(o.token));
    const res = await deliver(o.tenantId, bot.secret, textUpdate(chatId(), "/start"));
    expect(res.status).toBe(200);
    const [sent] = await waitForCalls(bot.token, "sendMessage", 1);
    expect(String(sent?.params.text)).toBe("Published hello");
  });

  it("discards the draft back to the live version, in the chunk history too", async () => {
    const o = await seedOwner();
    const refused = await call(me(o, "/prompt/discard"), { method: "POST", headers: bearer(o.token) });
    await expectError(refused, 409, "conflict");

    const a = await addChunk(o, "Price?", "Ten euros.");
    await callJson("PUT", me(o, "/prompt/welcome"), { welcome_text: "Hi" }, bearer(o.token));
    await publishPrompt(o);
    await callJson("PATCH", me(o, `/prompt/chunks/${a.id}`), { text: "Twelve euros." }, bearer(o.token));
    await addChunk(o, "Extra?", "Draft only.");
    await callJson("PUT", me(o, "/prompt/welcome"), { welcome_text: null }, bearer(o.token));
    await callJson("PUT", me(o, "/prompt/base"), { text: "Draft base." }, bearer(o.token));

    const res = await call(me(o, "/prompt/discard"), { method: "POST", headers: bearer(o.token) });
    expect(res.status, await res.clone().text()).toBe(200);
    const d = (await res.json()) as Draft;
    expect(d.has_changes).toBe(false);
    expect(d.draft.chunks.map((c) => [c.id, c.text])).toEqual([[a.id, "Ten euros."]]);
    expect(d.draft.welcome_text).toBe("Hi");
    expect(d.draft.is_default_base).toBe(true);

    const history = (await (await call(me(o, "/chunks/history"), { headers: bearer(o.token) })).json()) as {
      items: Array<{ action: string; chunk_id: string }>;
    };
    expect(
      history.items
        .slice(0, 2)
        .map((r) => r.action)
        .sort(),
    ).toEqual(["delete", "restore"]);
    expect(history.items.find((r) => r.action === "restore")?.chunk_id).toBe(a.id);
    const baseHistory = (await (
      await call(me(o, "/prompt/base/history"), { headers: bearer(o.token) })
    ).json()) as { items: Array<{ action: string; before: string | null; after: string | null }> };
    expect(baseHistory.items[0]).toMatchObject({ action: "restore", before: "Draft base.", after: null });
  });

  it("lists published versions and restores one, into the draft or live", async () => {
    const o = await seedOwner();
    const a = await addChunk(o, "Price?", "Version A.");
    await publishPrompt(o);
    await callJson("PATCH", me(o, `/prompt/chunks/${a.id}`), { text: "Version B." }, bearer(o.token));
    await publishPrompt(o);

    const list = (await (await call(me(o, "/prompt/releases"), { headers: bearer(o.token) })).json()) as {
      items: Array<{ version: number; live: boolean; chunk_count: number }>;
    };
    expect(list.items.map((r) => [r.version, r.live, r.chunk_count])).toEqual([
      [2, true, 1],
      [1, false, 1],
    ]);
    const one = (await (
      await call(me(o, "/prompt/releases/1"), { headers: bearer(o.token) })
    ).json()) as Release;
    expect(one.chunks[0]?.text).toBe("Version A.");
    await expectError(
      await call(me(o, "/prompt/releases/99"), { headers: bearer(o.token) }),
      404,
      "not_found",
    );
    await expectError(await call(me(o, "/prompt/releases/abc"), { headers: bearer(o.token) }), 422);

    // Into the draft only: visitors keep B.
    const draftOnly = await callJson("POST", me(o, "/prompt/releases/1/restore"), {}, bearer(o.token));
    expect(draftOnly.status).toBe(200);
    expect(((await draftOnly.json()) as Draft).draft.chunks[0]?.text).toBe("Version A.");
    expect(await visitorSystem(o)).toContain("Version B.");

    // And live: a new version that says which one it restored.
    const live = await callJson(
      "POST",
      me(o, "/prompt/releases/1/restore"),
      { publish: true },
      bearer(o.token),
    );
    const d = (await live.json()) as Draft;
    expect(d.published).toMatchObject({ version: 3, restored_from: 1 });
    expect(await visitorSystem(o)).toContain("Version A.");
    // Restoring the live version changes nothing visitors see: no new version.
    await callJson("POST", me(o, "/prompt/releases/3/restore"), { publish: true }, bearer(o.token));
    expect((await draftOf(o)).published?.version).toBe(3);

    const bad = await callJson(
      "POST",
      me(o, "/prompt/releases/1/restore"),
      { publish: "yes" },
      bearer(o.token),
    );
    await expectError(bad, 422, "validation_failed");
  });

  it("puts the setup chat's changes in the draft", async () => {
    const o = await seedOwner();
    await publishPrompt(o);
    const tag = await script({
      reply: "[EXECUTE]\nADD_CHUNK\nWhere are you?\nLenina 5, Moscow.\n[/EXECUTE]\nAdded «Where are you?».",
    });
    const res = await callJson(
      "POST",
      me(o, "").replace("/me", "/admin/chat"),
      { message: tag },
      bearer(o.token),
    );
    await readSse(res);
    const d = await draftOf(o);
    expect(d.changes.chunks_added).toBe(1);
    expect(await visitorSystem(o)).not.toContain("Lenina 5");
  });

  it("refuses a bad sandbox message, and the limits of the welcome text", async () => {
    const o = await seedOwner();
    await expectError(await sandbox(o, { message: "" }), 422);
    await expectError(await sandbox(o, { message: "hi", history: [{ role: "system", content: "x" }] }), 422);
    const long = Array.from({ length: 41 }, () => ({ role: "user", content: "x" }));
    await expectError(await sandbox(o, { message: "hi", history: long }), 422);
    await expectError(await sandbox(o, { message: "hi", extra: 1 }), 422);
    const tooLong = await callJson(
      "PUT",
      me(o, "/prompt/welcome"),
      { welcome_text: "x".repeat(501) },
      bearer(o.token),
    );
    await expectError(tooLong, 422);
  });
});

describe("draft and publish: who may", () => {
  const routes = (o: Owner): Array<[string, string, unknown?]> => [
    ["GET", me(o, "/prompt")],
    ["POST", me(o, "/prompt/publish")],
    ["POST", me(o, "/prompt/discard")],
    ["GET", me(o, "/prompt/releases")],
    ["GET", me(o, "/prompt/releases/1")],
    ["POST", me(o, "/prompt/releases/1/restore"), {}],
    ["GET", me(o, "/prompt/welcome")],
    ["PUT", me(o, "/prompt/welcome"), { welcome_text: "x" }],
    ["POST", me(o, "/prompt/sandbox/chat"), { message: "hi" }],
  ];

  it("refuses members, other tenants and anonymous callers", async () => {
    const o = await seedOwner();
    await addChunk(o, "Q?", "A.");
    await publishPrompt(o);
    const member = await seedMember(o);
    const stranger = await seedOwner();
    for (const [method, path, body] of routes(o)) {
      await expectError(await callJson(method, path, body, bearer(member.token)), 403);
      await expectError(await callJson(method, path, body, bearer(stranger.token)), 403);
      await expectError(await callJson(method, path, body), 401);
    }
    // Nothing changed for the owner.
    expect((await draftOf(o)).published?.version).toBe(1);
  });

  it("lets an operator read through a support session and refuses its writes", async () => {
    const p = await seedPlatform();
    const target = await seedOwner();
    await addChunk(target, "Q?", "A.");
    await publishPrompt(target);
    const ticket = await platformCall(p, "POST", `/api/v1/platform/tenants/${target.tenantId}/tickets`, {
      reason: "Help with publishing",
    });
    expect(ticket.status, await ticket.clone().text()).toBe(201);
    const token = ((await ticket.json()) as { access_token: string }).access_token;
    for (const [method, path, body] of routes(target)) {
      const res = await callJson(method, path, body, bearer(token));
      if (method === "GET") expect(res.status, `${method} ${path}`).toBe(200);
      else await expectError(res, 403, "read_only");
    }
    // The operator's own token is not the tenant's: refused outright.
    await expectError(await callJson("GET", me(target, "/prompt"), undefined, bearer(p.operator.token)), 403);
  });
});
