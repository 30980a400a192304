import { describe, expect, it } from "vitest";
import { redact, redactEmails, redactLinks } from "../../src/lib/redact.ts";

describe("redact", () => {
  it.each([
    ["postgres://cip:s3cr3t@db.example.com:5432/cip", "s3cr3t"],
    ["Authorization: Bearer sk-abcdef0123456789", "sk-abcdef0123456789"],
    ["failed: password=hunter2 for user", "hunter2"],
    ['{"api_key":"sk-live-999"}', "sk-live-999"],
    ["bot 123456789:AAE_abcdefghijklmnopqrstuvwxyz0123456 refused", "AAE_abcdefghijklmnopqrstuvwxyz0123456"],
    [
      "GET https://api.telegram.org/bot123456:AAE_abcdefghijklmnopqrstuvwxyz0123456/getMe",
      "AAE_abcdefghijklmnopqrstuvwxyz",
    ],
    ["token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJzdWIiOiIxIn0"],
  ])("removes the secret from %s", (text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("redacted");
  });

  it("leaves ordinary text alone", () => {
    const text = "GET /api/v1/tenants/by-slug/demo answered 404 in 3 ms";
    expect(redact(text)).toBe(text);
  });

  it("redactEmails replaces addresses, quoted or bare, and keeps the reason", () => {
    const out = redactEmails("550 5.1.1 <Ann.Lee+x@example.co.uk>: Recipient rejected; cc bob@пример.рф");
    expect(out).toBe("550 5.1.1 <[address]>: Recipient rejected; cc [address]");
  });

  it("redactLinks cuts every link's query and fragment, and leaves the path", () => {
    const text = "Confirm: http://cip.test/shop/confirm?token=abc_DEF-123 or https://x.test/p#t=1 now";
    expect(redactLinks(text)).toBe(
      "Confirm: http://cip.test/shop/confirm?[redacted] or https://x.test/p?[redacted] now",
    );
  });
});
