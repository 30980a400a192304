import { describe, expect, it } from "vitest";
import { DUMMY_TOKEN, siteverify, TEST_SECRETS } from "../../scripts/lib/fake-turnstile.ts";
import { AppError } from "../../src/errors.ts";
import { httpTurnstileVerifier, requirePass } from "../../src/services/embed/turnstile/verify.ts";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return "passed";
}

async function codeOfAsync(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return "passed";
}

describe("siteverify client", () => {
  it("posts the documented form fields and reads the verdict", async () => {
    let sent: URLSearchParams | null = null;
    const verifier = httpTurnstileVerifier("https://verify.test/siteverify", async (_url, init) => {
      sent = new URLSearchParams(String(init?.body));
      return Response.json({ success: true, "error-codes": [], hostname: "shop.example" });
    });
    const answer = await verifier.verify({
      secret: "s3cret-key-0000",
      token: "tok",
      remoteIp: "203.0.113.9",
    });
    expect(answer).toMatchObject({ success: true, "error-codes": [], hostname: "shop.example" });
    const form = sent as URLSearchParams | null;
    expect(form?.get("secret")).toBe("s3cret-key-0000");
    expect(form?.get("response")).toBe("tok");
    expect(form?.get("remoteip")).toBe("203.0.113.9");
    expect(form?.get("idempotency_key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("turns a network failure, a non-JSON answer and a verdict-less answer into upstream_error", async () => {
    const down = httpTurnstileVerifier("https://verify.test", () =>
      Promise.reject(new TypeError("fetch failed")),
    );
    expect(await codeOfAsync(down.verify({ secret: "s", token: "t" }))).toBe("upstream_error");
    const html = httpTurnstileVerifier(
      "https://verify.test",
      async () => new Response("<html>", { status: 502 }),
    );
    expect(await codeOfAsync(html.verify({ secret: "s", token: "t" }))).toBe("upstream_error");
    const odd = httpTurnstileVerifier("https://verify.test", async () => Response.json({ ok: true }));
    expect(await codeOfAsync(odd.verify({ secret: "s", token: "t" }))).toBe("upstream_error");
  });

  it("passes only success: true; Cloudflare's own failure is a 502, a refused token a 403", () => {
    expect(codeOf(() => requirePass({ success: true, "error-codes": [] }))).toBe("passed");
    expect(codeOf(() => requirePass({ success: false, "error-codes": ["invalid-input-response"] }))).toBe(
      "turnstile_failed",
    );
    expect(codeOf(() => requirePass({ success: false, "error-codes": ["timeout-or-duplicate"] }))).toBe(
      "turnstile_failed",
    );
    expect(codeOf(() => requirePass({ success: false, "error-codes": [] }))).toBe("turnstile_failed");
    expect(codeOf(() => requirePass({ success: false, "error-codes": ["internal-error"] }))).toBe(
      "upstream_error",
    );
  });
});

describe("the fake siteverify follows Cloudflare's test keys", () => {
  it.each([
    [TEST_SECRETS.pass, DUMMY_TOKEN, true, []],
    [TEST_SECRETS.pass, "a-real-token", false, ["invalid-input-response"]],
    [TEST_SECRETS.fail, DUMMY_TOKEN, false, ["invalid-input-response"]],
    [TEST_SECRETS.spent, DUMMY_TOKEN, false, ["timeout-or-duplicate"]],
    ["0x4AAAAAAAproductionSecretKey", DUMMY_TOKEN, false, ["invalid-input-response"]],
    ["", DUMMY_TOKEN, false, ["missing-input-secret"]],
    [TEST_SECRETS.pass, "", false, ["missing-input-response"]],
    ["bad secret!", DUMMY_TOKEN, false, ["invalid-input-secret"]],
  ])("secret %s, token %s -> success %s %j", (secret, token, success, codes) => {
    const verdict = siteverify(secret, token);
    expect(verdict.success).toBe(success);
    expect(verdict["error-codes"]).toEqual(codes);
    if (success) expect(verdict).toHaveProperty("challenge_ts");
  });
});
