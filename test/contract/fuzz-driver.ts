/**
 * Runs the contract fuzzer over every operation of the OpenAPI document, one test per operation, and
 * checks the console for secrets at the end. Used by the two fuzz test files (valid / invalid requests).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bearer, callAppDirect, GOOD_PASSWORD } from "../helpers/accounts.ts";
import { call, callJson } from "../helpers/http.ts";
import { loadDocument, type Operation, operations, validate } from "../helpers/openapi.ts";
import { fakeBotToken } from "../helpers/telegram.ts";
import { exercise, type Fixture, type FuzzRequest, seedFixture } from "./harness.ts";
import { hostileSweep, invalidRequest } from "./mutations.ts";
import { validRequest } from "./requests.ts";

export type FuzzKind = "valid" | "invalid";

/** Requests per operation. Operations that hash a password or call the model get fewer. */
const RUNS = { default: 40, costly: 12 };
const COSTLY =
  /\/(tenants|register|login|password\/reset\/confirm|me\/profile|chat|chat\/message|admin\/chat|admin\/chat\/message|me\/telegram)$/;

/**
 * Operations for which no generated valid request can succeed, and why. Every other operation must
 * answer 2xx at least once in the valid run, so a generator that only ever produces 4xx is noticed.
 */
/** The fuzz owner is no platform operator (none configured here): platform-operator.test.ts covers 2xx. */
const OPERATOR_ONLY = "needs a platform operator (PLATFORM_TENANT_SLUG, PLATFORM_ADMINS)";
const NO_2XX_EXPECTED: Record<string, string> = {
  "GET /api/v1/tenants/by-slug/{slug}/confirm": "needs the token from a confirmation mail",
  "POST /api/v1/tenants/{tenant_id}/password/reset/confirm": "needs the token from a reset mail",
  "POST /api/v1/tenants/{tenant_id}/login": "random passwords never match (the owner's is not generated)",
  "POST /api/v1/tenants/{tenant_id}/telegram/webhook": "needs the webhook secret Telegram was given",
  "GET /api/v1/dev/demo-login": "exists only under `npm run dev` (DEV_DEMO_LOGIN) on a loopback host",
  "GET /api/v1/platform/me": OPERATOR_ONLY,
  "GET /api/v1/platform/tenants": OPERATOR_ONLY,
  "GET /api/v1/platform/tenants/{id}": OPERATOR_ONLY,
  "POST /api/v1/platform/tenants/{id}/block": OPERATOR_ONLY,
  "POST /api/v1/platform/tenants/{id}/unblock": OPERATOR_ONLY,
  "PUT /api/v1/platform/tenants/{id}/limits": OPERATOR_ONLY,
  "POST /api/v1/platform/tenants/{id}/tickets": OPERATOR_ONLY,
  "GET /api/v1/platform/audit": OPERATOR_ONLY,
};

/**
 * The visitor routes answer a caller without Origin, widget token or Turnstile token only while the
 * tenant's embed is open (no allowed origins, no protected embed, no Turnstile): the embed settings run
 * may have left any of them on, so each of those operations opens it again first.
 */
const openChat = (fx: Fixture) =>
  callJson(
    "PUT",
    `/api/v1/tenants/${fx.owner.tenantId}/me/embed/settings`,
    { allowed_origins: [], protected_embed: false, turnstile: null },
    bearer(fx.owner.token),
  ).then((res) => res.body?.cancel());

/** Work an operation needs right before its run: resuming needs a turn the dialog object still holds. */
const PREPARE: Record<string, (fx: Fixture) => Promise<unknown>> = {
  "GET /api/v1/tenants/{tenant_id}/chat/{dialog_id}/stream": async (fx) => {
    await openChat(fx);
    const res = await callJson("POST", `/api/v1/tenants/${fx.owner.tenantId}/chat/message`, {
      user_id: fx.visitor,
      dialog_id: fx.pathHints.dialog_id?.[0],
      message: "One more question, please.",
    });
    await res.body?.cancel();
  },
  "POST /api/v1/tenants/{tenant_id}/chat": openChat,
  "POST /api/v1/tenants/{tenant_id}/chat/message": openChat,
  "POST /api/v1/tenants/{tenant_id}/chat/{dialog_id}/stop": openChat,
  "GET /api/v1/tenants/{tenant_id}/chat/{dialog_id}/events": openChat,
  "POST /api/v1/tenants/{tenant_id}/chat/{dialog_id}/messages/{message_id}/feedback": openChat,
  "POST /api/v1/tenants/{tenant_id}/chat/identify": openChat,
  "POST /api/v1/tenants/{tenant_id}/chat/widget-token": openChat,
  // Re-registering needs a connected bot (the fake Bot API accepts any well-formed token).
  "POST /api/v1/tenants/{tenant_id}/me/telegram/webhook": (fx) =>
    callJson(
      "PUT",
      `/api/v1/tenants/${fx.owner.tenantId}/me/telegram`,
      { bot_token: fakeBotToken() },
      bearer(fx.owner.token),
    ).then((res) => res.body?.cancel()),
  // Retrying needs a failed mail: a registration while SMTP is unreachable (this request only) makes one.
  "POST /api/v1/tenants/{tenant_id}/me/mail/failures/{delivery_id}/retry": async (fx) => {
    const tenant = `/api/v1/tenants/${fx.owner.tenantId}`;
    const email = `fuzz-mail-${crypto.randomUUID()}@example.com`;
    const body = { email, password: GOOD_PASSWORD };
    await callAppDirect("POST", `${tenant}/register`, body, { overrides: { SMTP_PORT: "1" } });
    const res = await call(`${tenant}/me/mail/failures?status=failed`, { headers: bearer(fx.owner.token) });
    const { items } = (await res.json()) as { items: Array<{ id: string; to_email: string }> };
    fx.pathHints.delivery_id = items.filter((d) => d.to_email === email).map((d) => d.id);
  },
};

/**
 * Deletions after everything that needs the fixture's rows, deeper paths first (an image before its
 * gallery); logout, which ends a session, last.
 */
const order = (op: Operation) =>
  op.path.endsWith("/logout") ? 1e6 : op.method === "DELETE" ? 1e3 - op.path.length : 0;

export const doc = await loadDocument();
const ops = operations(doc).sort((a, b) => order(a) - order(b));

export function describeFuzz(kind: FuzzKind): void {
  let fx: Fixture;
  const logged: string[] = [];
  beforeAll(async () => {
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      });
    }
    fx = await seedFixture();
  }, 120_000);
  afterAll(() => vi.restoreAllMocks());

  describe(`contract fuzz: ${kind} requests`, () => {
    it.for(ops.map((op) => [op.id, op] as const))(
      "%s",
      { timeout: 120_000 },
      async ([, op], { annotate }) => {
        await PREPARE[op.id]?.(fx);
        const token = op.path.endsWith("/logout") ? fx.leaver.token : fx.owner.token;
        const arb = kind === "valid" ? validRequest(doc, op, fx, token) : invalidRequest(doc, op, fx, token);
        const problems = new Set<string>();
        const statuses: Record<number, number> = {};
        const examples =
          kind === "invalid" ? hostileSweep(doc, op, fx, token).map((r): [FuzzRequest] => [r]) : [];
        // fast-check counts the examples within numRuns: add them on top of the random requests.
        const numRuns = (COSTLY.test(op.path) ? RUNS.costly : RUNS.default) + examples.length;
        const seed = Date.now() ^ 0x5eed;
        const succeeded = () => Object.keys(statuses).some((s) => Number(s) >= 200 && Number(s) < 300);
        const run = async (req: FuzzRequest) => {
          rememberBotToken(req, fx);
          const result = await exercise(doc, op, req, fx);
          statuses[result.status] = (statuses[result.status] ?? 0) + 1;
          for (const p of result.problems) problems.add(p);
          for (const p of refusedNothing(op, req, result.status)) problems.add(p);
        };
        await fc.assert(fc.asyncProperty(arb, run), { numRuns, seed, examples });
        const mustSucceed = kind === "valid" && !NO_2XX_EXPECTED[op.id];
        // Optional fields make some valid requests fail business rules (a weak new password): draw a
        // few more before calling the generator broken.
        for (const req of mustSucceed && !succeeded()
          ? fc.sample(arb, { numRuns: 30, seed: seed + 1 })
          : []) {
          await run(req);
          if (succeeded()) break;
        }
        const summary = `${op.id} seed=${seed} statuses=${JSON.stringify(statuses)}`;
        await annotate(`seed=${seed} statuses=${JSON.stringify(statuses)}`);
        // The app's error logs are captured (and checked for secrets); show the latest ones on a failure.
        const errors = problems.size ? logged.filter((l) => l.includes('"level":"error"')).slice(-3) : [];
        expect([...problems].slice(0, 40), [summary, ...errors].join("\n")).toEqual([]);
        if (mustSucceed) expect(succeeded(), `no generated valid request succeeded: ${summary}`).toBe(true);
      },
    );

    it("the console never showed a secret", () => {
      const leaks = [...fx.secrets].filter((secret) => logged.some((line) => line.includes(secret)));
      expect(leaks.map((s) => `${s.slice(0, 4)}… (${s.length} chars)`)).toEqual([]);
    });
  });
}

/** A JSON body the document forbids must not be accepted (2xx). */
function refusedNothing(op: Operation, req: FuzzRequest, status: number): string[] {
  const schema = op.requestBody?.content["application/json"]?.schema;
  if (!schema || req.body?.kind !== "json" || status < 200 || status >= 300) return [];
  const errors = validate(doc, schema, req.body.value);
  return errors.length ? [`${op.id} [${req.label}] accepted a body the document forbids: ${errors[0]}`] : [];
}

/** Bot tokens the run connects are secrets from then on. */
function rememberBotToken(req: FuzzRequest, fx: Fixture): void {
  const value = req.body?.kind === "json" ? (req.body.value as { bot_token?: unknown } | null) : null;
  const token = value && typeof value === "object" ? value.bot_token : undefined;
  if (typeof token === "string" && /^\d{5,12}:[A-Za-z0-9_-]{30,}$/.test(token)) fx.secrets.add(token);
}
