import { describe, expect, it } from "vitest";
import { MAIL_ERROR_MAX, mailErrorText } from "../../src/services/accounts/mail-deliveries.ts";

const TOKEN = "Qm9vbS1zZWNyZXQtdG9rZW4tdmFsdWUtMTIzNDU2Nzg5";

describe("mailErrorText", () => {
  it("keeps an SMTP refusal readable on one line", () => {
    const err = new Error("550 5.1.1 <ann@example.com>: Recipient address rejected:\r\n  User unknown");
    expect(mailErrorText(err, [TOKEN])).toBe(
      "550 5.1.1 <ann@example.com>: Recipient address rejected: User unknown",
    );
  });

  it("removes the mail's token, in plain and encoded form, and any token= link", () => {
    const encoded = encodeURIComponent(`${TOKEN}+/=`);
    const err = new Error(
      `554 rejected: http://cip.test/shop/confirm?token=${TOKEN} and ${encoded} and ?token=other-secret-value`,
    );
    const text = mailErrorText(err, [TOKEN, encoded]);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("other-secret-value");
    expect(text).toContain("554 rejected");
  });

  it("strips credentials the log redactor knows (URL passwords, bearer tokens, password= pairs)", () => {
    const err = new Error(
      "535 auth failed for smtp://mailer:hunter2-secret@smtp.example.com password=hunter2-secret Bearer abc.def.ghi",
    );
    const text = mailErrorText(err, []);
    expect(text).not.toContain("hunter2-secret");
    expect(text).not.toContain("abc.def.ghi");
    expect(text).toContain("535 auth failed");
  });

  it("caps the length, counts code points, and never returns an empty text", () => {
    const long = mailErrorText(new Error("ё".repeat(1000)), []);
    expect([...long].length).toBe(MAIL_ERROR_MAX);
    expect(long.endsWith("…")).toBe(true);
    expect(mailErrorText(new Error("   "), [])).toBe("The mail server refused the message.");
    expect(mailErrorText("plain string", [])).toBe("plain string");
  });
});
