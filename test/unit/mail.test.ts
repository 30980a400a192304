import { describe, expect, it } from "vitest";
import { parseAddress } from "../../src/mail/mailer.ts";
import { accountMail } from "../../src/mail/templates.ts";

describe("parseAddress", () => {
  it.each([
    ["CIP <no-reply@cip.local>", { name: "CIP", email: "no-reply@cip.local" }],
    ['"Shop, Inc" <a@b.co>', { name: "Shop, Inc", email: "a@b.co" }],
    ["<a@b.co>", { email: "a@b.co" }],
    [" a@b.co ", { email: "a@b.co" }],
  ])("%s", (input, expected) => {
    expect(parseAddress(input)).toEqual(expected);
  });
});

describe("account mails", () => {
  it("escape the site name and link in HTML and keep a plain text part", () => {
    const mail = accountMail("confirm", {
      to: "a@b.co",
      locale: "en",
      siteName: '<script>alert("x")</script>',
      link: "https://cip.test/x/confirm?token=a&b=<c>",
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&#60;script&#62;");
    expect(mail.text).toContain("https://cip.test/x/confirm?token=a&b=<c>");
  });
});
