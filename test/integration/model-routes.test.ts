/**
 * The owner's model settings (`GET/PUT …/me/model`): the platform defaults, a round trip that keeps the
 * other settings, null and left-out fields as the default, validation, and access (no token, a member,
 * another tenant's owner).
 */
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tenants } from "../../src/db/schema.ts";
import { DEFAULT_MODEL } from "../../src/llm/factory.ts";
import { bearer, callAppDirect, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";

const path = (tenantId: string) => `/api/v1/tenants/${tenantId}/me/model`;
const getModel = (o: Pick<Owner, "tenantId" | "token">) =>
  call(path(o.tenantId), { headers: bearer(o.token) });
const putModel = (o: Pick<Owner, "tenantId" | "token">, body: unknown) =>
  callJson("PUT", path(o.tenantId), body, bearer(o.token));

/** The test platform's model name (DEEPSEEK_MODEL, else the built-in default). */
const PLATFORM_MODEL = env.DEEPSEEK_MODEL || DEFAULT_MODEL;
const UNSET = { model: null, thinking: null, reasoning_effort: null, temperature: null, max_tokens: null };
const DEFAULTS = {
  thinking_mode: "disabled",
  chat: {
    model: PLATFORM_MODEL,
    thinking: false,
    reasoning_effort: null,
    temperature: 0.5,
    max_tokens: 2048,
  },
  admin: {
    model: PLATFORM_MODEL,
    thinking: false,
    reasoning_effort: null,
    temperature: 0.3,
    max_tokens: 2048,
  },
};

describe("GET/PUT /me/model", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("starts at the platform defaults, which it shows", async () => {
    const res = await getModel(owner);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ chat: UNSET, admin: UNSET, defaults: DEFAULTS });
  });

  it("stores what is sent, keeps the other settings, and resets fields sent as null or left out", async () => {
    await withDb(({ db }) =>
      db
        .update(tenants)
        .set({ settings: sql`${tenants.settings} || '{"basePrompt": "keep me"}'::jsonb` })
        .where(eq(tenants.id, owner.tenantId)),
    );
    const chat = {
      model: "deepseek-v4-pro",
      thinking: true,
      reasoning_effort: "max",
      temperature: 1.25,
      max_tokens: 8192,
    };
    const res = await putModel(owner, { chat, admin: { thinking: false, temperature: 0 } });
    expect(res.status).toBe(200);
    const expected = {
      chat,
      admin: { ...UNSET, thinking: false, temperature: 0 },
      defaults: DEFAULTS,
    };
    expect(await res.json()).toEqual(expected);
    expect(await (await getModel(owner)).json()).toEqual(expected);
    const [row] = await withDb(({ db }) =>
      db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, owner.tenantId)),
    );
    expect(row?.settings.basePrompt).toBe("keep me");
    expect(row?.settings.model).toEqual({
      chat: {
        model: "deepseek-v4-pro",
        thinking: true,
        reasoningEffort: "max",
        temperature: 1.25,
        maxTokens: 8192,
      },
      admin: { thinking: false, temperature: 0 },
    });

    const reset = await putModel(owner, { chat: { ...chat, model: null, thinking: null }, admin: null });
    expect(await reset.json()).toMatchObject({
      chat: { ...chat, model: null, thinking: null },
      admin: UNSET,
    });
    expect(await (await putModel(owner, {})).json()).toEqual({
      chat: UNSET,
      admin: UNSET,
      defaults: DEFAULTS,
    });
  });

  it("shows the environment's model and thinking mode as the defaults", async () => {
    const res = await callAppDirect("GET", path(owner.tenantId), undefined, {
      headers: bearer(owner.token),
      overrides: { DEEPSEEK_MODEL: "other-model", DEEPSEEK_THINKING: "enabled" },
    });
    const body = (await res.json()) as { defaults: typeof DEFAULTS };
    expect(body.defaults.thinking_mode).toBe("enabled");
    // Visitors do not think by default whatever the platform says; the setup chat follows it.
    expect(body.defaults.chat).toMatchObject({ model: "other-model", thinking: false });
    expect(body.defaults.admin).toMatchObject({ model: "other-model", thinking: true });
    const omit = await callAppDirect("GET", path(owner.tenantId), undefined, {
      headers: bearer(owner.token),
      overrides: { DEEPSEEK_THINKING: "omit" },
    });
    const omitted = (await omit.json()) as { defaults: typeof DEFAULTS };
    expect(omitted.defaults).toMatchObject({
      thinking_mode: "omit",
      chat: { thinking: null },
      admin: { thinking: null },
    });
  });

  it.each([
    ["a model name with spaces", { chat: { model: "deep seek" } }, "chat.model"],
    ["an empty model name", { chat: { model: "" } }, "chat.model"],
    ["a model name over 100 characters", { admin: { model: "m".repeat(101) } }, "admin.model"],
    ["thinking as a string", { chat: { thinking: "yes" } }, "chat.thinking"],
    ["an unknown effort", { admin: { reasoning_effort: "medium" } }, "admin.reasoning_effort"],
    ["a negative temperature", { chat: { temperature: -0.1 } }, "chat.temperature"],
    ["a temperature over 2", { chat: { temperature: 2.01 } }, "chat.temperature"],
    ["max tokens of 0", { chat: { max_tokens: 0 } }, "chat.max_tokens"],
    ["max tokens over 8192", { admin: { max_tokens: 8193 } }, "admin.max_tokens"],
    ["fractional max tokens", { chat: { max_tokens: 10.5 } }, "chat.max_tokens"],
    ["an unknown field", { chat: { top_p: 1 } }, ""],
    ["an unknown channel", { telegram: {} }, ""],
    ["a channel that is not an object", { chat: "fast" }, "chat"],
  ])("refuses %s with 422 and changes nothing", async (_label, body, issuePath) => {
    await putModel(owner, { chat: { temperature: 0.7 } });
    const res = await putModel(owner, body);
    expect(res.status).toBe(422);
    const err = await readError(res);
    expect(err.error.code).toBe("validation_failed");
    if (issuePath) expect(err.error.issues?.map((i) => i.path)).toContain(issuePath);
    expect(
      ((await (await getModel(owner)).json()) as { chat: { temperature: number } }).chat.temperature,
    ).toBe(0.7);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const res = await callJson("PUT", path(owner.tenantId), "{", bearer(owner.token));
    expect(res.status).toBe(400);
  });
});

describe("access to /me/model", () => {
  let owner: Owner;
  let other: Owner;
  beforeAll(async () => {
    [owner, other] = await Promise.all([seedOwner(), seedOwner()]);
    await putModel(other, { chat: { model: "others-secret-model" } });
  });

  const routes = (tenantId: string, headers: HeadersInit) => [
    call(path(tenantId), { headers }),
    callJson("PUT", path(tenantId), { chat: { thinking: true } }, headers),
  ];

  it("needs a token (401)", async () => {
    for (const res of await Promise.all(routes(owner.tenantId, {}))) {
      expect(res.status).toBe(401);
      expect((await readError(res)).error.code).toBe("unauthorized");
    }
  });

  it("is for owners only: a member gets 403", async () => {
    const member = await seedMember(owner);
    for (const res of await Promise.all(routes(owner.tenantId, bearer(member.token)))) {
      expect(res.status).toBe(403);
    }
  });

  it("refuses another tenant's owner (403) and never shows or changes the other tenant", async () => {
    for (const res of await Promise.all(routes(other.tenantId, bearer(owner.token)))) {
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain("others-secret-model");
    }
    const theirs = (await (await getModel(other)).json()) as { chat: { model: string; thinking: unknown } };
    expect(theirs.chat).toMatchObject({ model: "others-secret-model", thinking: null });
  });
});
