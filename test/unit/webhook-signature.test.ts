/** The webhook signature (src/lib/webhook-signature.ts) and the retry schedule (src/services/webhooks/retry.ts). */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureHeader, webhookSignature } from "../../src/lib/webhook-signature.ts";
import { nextAttemptAt, RETRY_OFFSETS_MS } from "../../src/services/webhooks/retry.ts";

describe("webhook signature", () => {
  it("is hex HMAC-SHA256 of `<t>.<raw body>` under the secret, as a receiver computes it", async () => {
    const secret = "whsec_test-secret";
    const body = '{"id":"e1","type":"lead.created","data":{"raw":"Ann <ann@example.com>","note":"ü ✓"}}';
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(await webhookSignature(secret, 1700000000, body)).toBe(expected);
  });

  it("puts the send time in whole seconds in the header", async () => {
    const header = await signatureHeader("whsec_x", "{}", 1_700_000_123_999);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    expect(t).toBe("1700000123");
    expect(v1).toBe(createHmac("sha256", "whsec_x").update("1700000123.{}").digest("hex"));
  });

  it("changes with the body, the time and the secret", async () => {
    const base = await webhookSignature("s1", 1, "{}");
    expect(await webhookSignature("s1", 1, "{ }")).not.toBe(base);
    expect(await webhookSignature("s1", 2, "{}")).not.toBe(base);
    expect(await webhookSignature("s2", 1, "{}")).not.toBe(base);
  });
});

describe("retry schedule", () => {
  const created = 1_000_000;
  it("retries first within 10 s and last 24 h after the event, then stops", () => {
    expect(nextAttemptAt(created, 1, created + 200)).toBeLessThanOrEqual(created + 10_000);
    const last = RETRY_OFFSETS_MS.length - 1;
    expect(nextAttemptAt(created, last, created)).toBe(created + 24 * 60 * 60 * 1000);
    expect(nextAttemptAt(created, last + 1, created + 24 * 60 * 60 * 1000)).toBeNull();
  });

  it("never plans a try in the past, and keeps the offsets growing", () => {
    expect(nextAttemptAt(created, 1, created + 60_000)).toBe(created + 61_000);
    for (let i = 1; i < RETRY_OFFSETS_MS.length; i++)
      expect(RETRY_OFFSETS_MS[i] as number).toBeGreaterThan(RETRY_OFFSETS_MS[i - 1] as number);
  });
});
