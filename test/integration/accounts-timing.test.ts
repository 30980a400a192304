/**
 * Issue 16: reset and resend must not take longer for a known address. Deterministic, not timed: the
 * request path for a known address must do what it does for an unknown one (the same limiter calls, no
 * token write), with the token written and mailed only after the answer. The deferred work is held at
 * its first step (the per-recipient mail counter) until the answer is in, so "after" is certain.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app.ts";
import { emailTokens } from "../../src/db/schema.ts";
import type { Bindings } from "../../src/env.ts";
import { sha256Hex } from "../../src/lib/crypto.ts";
import { registerUnconfirmed, seedOwner, uniqueName } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { BASE } from "../helpers/http.ts";
import { mailsTo, waitForMails } from "../helpers/mail.ts";

type Limiter = Bindings["RATE_LIMITER"];

/**
 * The real limiter namespace, recording which counters a request asks for, and holding every call on
 * the counter named `held` until `release()`.
 */
function watchedLimiter(held: string) {
  const real = env.RATE_LIMITER as unknown as Limiter;
  const names: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const namespace = {
    getByName(name: string) {
      names.push(name);
      const stub = real.getByName(name);
      if (name !== held) return stub;
      return {
        hit: async (limit: number, windowSeconds: number) => {
          await gate;
          return stub.hit(limit, windowSeconds);
        },
      };
    },
  } as unknown as Limiter;
  return { namespace, names, release };
}

/** Tokens of `purpose` stored for the address in the tenant. */
async function tokenCount(tenantId: string, email: string, purpose: "confirm" | "reset"): Promise<number> {
  const rows = await withDb(({ db }) =>
    db
      .select({ id: emailTokens.id })
      .from(emailTokens)
      .where(
        and(
          eq(emailTokens.tenantId, tenantId),
          eq(emailTokens.email, email),
          eq(emailTokens.purpose, purpose),
        ),
      ),
  );
  return rows.length;
}

/**
 * POSTs `{email}` to `path` with the recipient counter of `email` held; returns the answer, the limiter
 * counters the request used, what was stored when the answer came, and a function that lets the
 * deferred work run and waits for it.
 */
async function answerWhileHeld(path: string, email: string, stored: () => Promise<number>) {
  const held = await sha256Hex(`account-mail:to:${email}`);
  const limiter = watchedLimiter(held);
  const ctx = createExecutionContext();
  const request = new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.77" },
    body: JSON.stringify({ email }),
  });
  const res = await app.fetch(request, { ...env, RATE_LIMITER: limiter.namespace }, ctx);
  const body = await res.text();
  const atAnswer = await stored();
  // Counters touched before the answer (the held one is only ever reached after it).
  const beforeAnswer = limiter.names.filter((n) => n !== held).length;
  return {
    status: res.status,
    body,
    atAnswer,
    beforeAnswer,
    finish: async () => {
      limiter.release();
      await waitOnExecutionContext(ctx);
    },
  };
}

describe("known and unknown addresses take the same path to the answer", () => {
  it("password reset: the token is written and mailed after the answer", async () => {
    const owner = await seedOwner();
    const path = `/api/v1/tenants/${owner.tenantId}/password/reset`;
    const stranger = `${uniqueName("nobody")}@example.com`;
    const known = await answerWhileHeld(path, owner.email, () =>
      tokenCount(owner.tenantId, owner.email, "reset"),
    );
    const unknown = await answerWhileHeld(path, stranger, () =>
      tokenCount(owner.tenantId, stranger, "reset"),
    );

    expect(known.status).toBe(202);
    expect(known.body).toBe(unknown.body);
    expect(known.beforeAnswer).toBe(unknown.beforeAnswer);
    expect(known.atAnswer).toBe(0); // nothing written while the client waited
    expect(await mailsTo(owner.email)).toHaveLength(1); // the sign-up mail only

    await known.finish();
    await unknown.finish();
    expect(await tokenCount(owner.tenantId, owner.email, "reset")).toBe(1);
    expect((await waitForMails(owner.email, 2))[1]?.text).toContain("/reset-password?token=");
    expect(await mailsTo(stranger)).toHaveLength(0);
  });

  it("confirmation resend: the same for an unconfirmed account and an unknown address", async () => {
    const owner = await seedOwner();
    const { email } = await registerUnconfirmed(owner.tenantId);
    const path = `/api/v1/tenants/${owner.tenantId}/confirm/resend`;
    const stranger = `${uniqueName("nobody")}@example.com`;
    const known = await answerWhileHeld(path, email, () => tokenCount(owner.tenantId, email, "confirm"));
    const unknown = await answerWhileHeld(path, stranger, () =>
      tokenCount(owner.tenantId, stranger, "confirm"),
    );

    expect(known.status).toBe(202);
    expect(known.body).toBe(unknown.body);
    expect(known.beforeAnswer).toBe(unknown.beforeAnswer);
    expect(known.atAnswer).toBe(1); // the registration's token only

    await known.finish();
    await unknown.finish();
    expect(await tokenCount(owner.tenantId, email, "confirm")).toBe(2);
    expect(await waitForMails(email, 2)).toHaveLength(2);
  });
});
