/**
 * Starter questions and the chat language: the owner's routes (rules, access), the public config and the
 * embed page carrying them, SET_STARTERS from the setup chat, and the pinned language of visitor errors.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tenants } from "../../src/db/schema.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { putBudget } from "../helpers/budget.ts";
import { chatJson } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { publishPrompt } from "../helpers/prompt.ts";

interface Starters {
  starters: string[];
  limits: { max: number; max_chars: number };
}
interface Public {
  starters: string[];
  chatLanguage: "auto" | "ru" | "en";
}

const path = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/starters`;
const put = (o: Owner, body: unknown, headers = bearer(o.token)) => callJson("PUT", path(o), body, headers);
const publicConfig = async (o: Owner, widget = false): Promise<Public> => {
  const res = await call(`/api/v1/tenants/by-slug/${o.slug}${widget ? "/widget" : ""}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Public;
};
const storedStarters = (tenantId: string) =>
  withDb(async ({ db }) => {
    const [row] = await db.select({ s: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
    return row?.s.starters;
  });

describe("starter questions", () => {
  it("are empty at first, stored trimmed, and carried by the public config and the embed page", async () => {
    const o = await seedOwner();
    const first = await call(path(o), { headers: bearer(o.token) });
    expect(await first.json()).toEqual({ starters: [], limits: { max: 6, max_chars: 80 } });
    expect((await publicConfig(o)).starters).toEqual([]);

    const res = await put(o, { starters: ["  How much is delivery? ", "Opening hours?"] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Starters).starters).toEqual(["How much is delivery?", "Opening hours?"]);
    expect(await storedStarters(o.tenantId)).toEqual(["How much is delivery?", "Opening hours?"]);
    // In the draft until published (docs/cabinet.md "Draft and publish").
    expect((await publicConfig(o)).starters).toEqual([]);
    await publishPrompt(o);
    for (const widget of [false, true])
      expect((await publicConfig(o, widget)).starters).toEqual(["How much is delivery?", "Opening hours?"]);
    const page = await call(`/${o.slug}/chat/embed`);
    expect(page.status).toBe(200);
    const inline = /<script[^>]*id="cip-tenant"[^>]*>(.*?)<\/script>/s.exec(await page.text())?.[1] ?? "";
    expect((JSON.parse(inline) as Public).starters).toEqual(["How much is delivery?", "Opening hours?"]);

    // Six at the limit, each 80 characters: fine; an empty list removes them.
    const six = Array.from({ length: 6 }, (_, i) => `${i}`.padEnd(80, "я"));
    expect((await put(o, { starters: six })).status).toBe(200);
    expect(await storedStarters(o.tenantId)).toEqual(six);
    expect((await put(o, { starters: [] })).status).toBe(200);
    expect(await storedStarters(o.tenantId)).toBeUndefined();
  });

  it("refuses 7 questions, one of 81 characters, an empty one, repeats and other shapes, changing nothing", async () => {
    const o = await seedOwner();
    expect((await put(o, { starters: ["Keep?"] })).status).toBe(200);
    const bad: unknown[] = [
      { starters: Array.from({ length: 7 }, (_, i) => `Q${i}?`) },
      { starters: ["x".repeat(81)] },
      { starters: ["   "] },
      { starters: [""] },
      { starters: ["Price?", " price? "] },
      { starters: "Price?" },
      { starters: [5] },
      {},
      { starters: [], extra: true },
    ];
    for (const body of bad) {
      const res = await put(o, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await readError(res)).error.code).toBe("validation_failed");
    }
    expect(await storedStarters(o.tenantId)).toEqual(["Keep?"]);
  });

  it("are the owner's: no token 401, member 403, another tenant's owner 403", async () => {
    const o = await seedOwner();
    const member = await seedMember(o);
    const other = await seedOwner();
    await put(o, { starters: ["Mine?"] });
    for (const headers of [{}, bearer(member.token), bearer(other.token)]) {
      const expected = "authorization" in headers ? 403 : 401;
      expect((await call(path(o), { headers })).status).toBe(expected);
      expect((await put(o, { starters: ["Hacked?"] }, headers as ReturnType<typeof bearer>)).status).toBe(
        expected,
      );
    }
    expect(await storedStarters(o.tenantId)).toEqual(["Mine?"]);
  });
});

interface AdminReply {
  reply: string;
  commands: Array<{ name: string; ok: boolean; result: string }>;
}
async function adminTurn(owner: Owner, reply: string): Promise<AdminReply> {
  const tag = await script({ reply, chunkSize: "random" });
  const res = await callJson(
    "POST",
    `/api/v1/tenants/${owner.tenantId}/admin/chat/message`,
    { message: `ok ${tag}` },
    bearer(owner.token),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as AdminReply;
}

describe("SET_STARTERS in the setup chat", () => {
  it("replaces the starters, one per line, list marks and repeats dropped, and says so in the tenant's language", async () => {
    const o = await seedOwner({ locale: "ru" });
    const body = await adminTurn(
      o,
      "Предлагаю такие вопросы.\n[EXECUTE]\nSET_STARTERS\n- Сколько стоит доставка?\n2. Когда вы открыты?\n\n«Где вы находитесь?»\nКогда вы открыты?\n[/EXECUTE]",
    );
    expect(body.commands).toEqual([expect.objectContaining({ name: "SET_STARTERS", ok: true })]);
    expect(body.reply).toContain("Вопросы-подсказки");
    expect(body.reply).not.toMatch(/\[\s*\/?\s*execute\s*\]/i);
    const expected = ["Сколько стоит доставка?", "Когда вы открыты?", "Где вы находитесь?"];
    expect(await storedStarters(o.tenantId)).toEqual(expected);
    await publishPrompt(o);
    expect((await publicConfig(o)).starters).toEqual(expected);
  });

  it("refuses more than 6 or one over 80 characters (nothing saved), and an empty block removes them", async () => {
    const o = await seedOwner({ locale: "en" });
    await put(o, { starters: ["Keep?"] });
    const many = Array.from({ length: 7 }, (_, i) => `Question ${i}?`).join("\n");
    const tooMany = await adminTurn(o, `[EXECUTE]\nSET_STARTERS\n${many}\n[/EXECUTE]`);
    expect(tooMany.commands[0]).toMatchObject({ name: "SET_STARTERS", ok: false });
    expect(tooMany.commands[0]?.result).toContain("at most 6");
    const long = await adminTurn(o, `[EXECUTE]\nSET_STARTERS\n${"x".repeat(81)}\n[/EXECUTE]`);
    expect(long.commands[0]?.result).toContain("longer than 80");
    expect(await storedStarters(o.tenantId)).toEqual(["Keep?"]);
    const cleared = await adminTurn(o, "[EXECUTE]\nSET_STARTERS\n[/EXECUTE]");
    expect(cleared.commands[0]).toMatchObject({ ok: true, result: expect.stringContaining("removed") });
    expect(await storedStarters(o.tenantId)).toBeUndefined();
  });

  it("is refused in the visitor chat", async () => {
    const o = await seedOwner();
    const tag = await script({ reply: "Sure.\n[EXECUTE]\nSET_STARTERS\nFree stuff?\n[/EXECUTE]" });
    const res = await callJson("POST", `/api/v1/tenants/${o.tenantId}/chat/message`, {
      user_id: `v-${crypto.randomUUID()}`,
      message: `hi ${tag}`,
    });
    expect(res.status).toBe(200);
    expect(await storedStarters(o.tenantId)).toBeUndefined();
  });
});

describe("chat language", () => {
  const embedSettings = (o: Owner, body: unknown) =>
    callJson("PUT", `/api/v1/tenants/${o.tenantId}/me/embed/settings`, body, bearer(o.token));

  it("is `auto` by default, pinned through the embed settings, and in the public config", async () => {
    const o = await seedOwner();
    expect((await publicConfig(o)).chatLanguage).toBe("auto");
    const embed = await call(`/api/v1/tenants/${o.tenantId}/me/embed`, { headers: bearer(o.token) });
    expect(((await embed.json()) as { chat_language: string }).chat_language).toBe("auto");
    const res = await embedSettings(o, { allowed_origins: [], chat_language: "en" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { chat_language: string }).chat_language).toBe("en");
    expect((await publicConfig(o)).chatLanguage).toBe("en");
    // Leaving it out keeps it; a bad value is refused.
    expect((await embedSettings(o, { allowed_origins: [] })).status).toBe(200);
    expect((await publicConfig(o)).chatLanguage).toBe("en");
    expect((await embedSettings(o, { allowed_origins: [], chat_language: "de" })).status).toBe(422);
    expect((await embedSettings(o, { allowed_origins: [], chat_language: "auto" })).status).toBe(200);
    expect((await publicConfig(o)).chatLanguage).toBe("auto");
  });

  it("gives the per-address refusal in the pinned language, whatever the browser sends", async () => {
    const o = await seedOwner({ locale: "ru" });
    expect((await putBudget(o, { ip_messages_per_minute: 1, ip_new_dialogs_per_minute: 0 })).status).toBe(
      200,
    );
    const from = (lang: string) => ({ "cf-connecting-ip": "203.0.113.77", "accept-language": lang });
    const send = (lang: string) =>
      chatJson(o.tenantId, { user_id: `v-${crypto.randomUUID()}`, message: "hi" }, from(lang));
    expect((await send("ru-RU")).status).toBe(200);
    // auto: the browser's language.
    expect((await readError(await send("en-US"))).error.message).toMatch(/^Too many messages/);
    expect((await readError(await send("ru-RU"))).error.message).toMatch(/^Слишком много сообщений/);
    expect((await embedSettings(o, { allowed_origins: [], chat_language: "en" })).status).toBe(200);
    const pinned = await send("ru-RU");
    expect(pinned.status).toBe(429);
    expect((await readError(pinned)).error.message).toMatch(/^Too many messages/);
  });

  it("is the owner's: a member cannot change it", async () => {
    const o = await seedOwner();
    const member = await seedMember(o);
    const res = await callJson(
      "PUT",
      `/api/v1/tenants/${o.tenantId}/me/embed/settings`,
      { allowed_origins: [], chat_language: "en" },
      bearer(member.token),
    );
    expect(res.status).toBe(403);
    expect((await publicConfig(o)).chatLanguage).toBe("auto");
  });
});
