import { describe, expect, it } from "vitest";
import { extractLeads, type Lead } from "../../src/chat/leads.ts";

const values = (text: string) => extractLeads(text).map((lead) => `${lead.kind}:${lead.value}`);

describe("extractLeads: phones", () => {
  it.each([
    ["+1 (415) 555-2671", "+14155552671"],
    ["+44 20 7946 0958", "+442079460958"],
    ["+44 (0)20 7946 0958", "+442079460958"],
    ["+49 30 901820", "+4930901820"],
    ["+7 (912) 345-67-89", "+79123456789"],
    ["+79123456789", "+79123456789"],
    ["+7.912.345.67.89", "+79123456789"],
    ["8 912 345 67 89", "+79123456789"],
    ["8(912)3456789", "+79123456789"],
    ["89123456789", "+79123456789"],
    ["7 912 345-67-89", "+79123456789"],
    ["8-800-555-35-35", "+78005553535"],
    ["8 (495) 123-45-67", "+74951234567"],
    ["8\u00A0912\u00A0345\u201167\u201189", "+79123456789"],
    ["звоните: 8 912 345 67 89.", "+79123456789"],
    ["tel:+79123456789", "+79123456789"],
    ["Tel No: +44 20 7946 0958", "+442079460958"],
    ["номер телефона 89123456789", "+79123456789"],
    ["2026-11-26 89123456789", "+79123456789"],
    ["Мой номер 8 912 345 67 89. 2 кота", "+79123456789"],
    ["(+7 912 345 67 89)", "+79123456789"],
  ])("finds %j as %s", (text, value) => {
    expect(extractLeads(text)).toEqual([expect.objectContaining({ kind: "phone", value })]);
  });

  it("keeps the raw text as written", () => {
    expect(extractLeads("звоните +7 (912) 345-67-89!")).toEqual([
      { kind: "phone", value: "+79123456789", raw: "+7 (912) 345-67-89" },
    ]);
  });
});

describe("extractLeads: e-mails", () => {
  it.each([
    ["anna@example.com", "anna@example.com"],
    ["Anna.Smith+cip@Example.COM", "anna.smith+cip@example.com"],
    ["john.doe@sub.example.co.uk", "john.doe@sub.example.co.uk"],
    ["first_last-1@my-domain.org", "first_last-1@my-domain.org"],
    ["write to anna@example.com.", "anna@example.com"],
    ["(anna@example.com)", "anna@example.com"],
    ["anna@example.com, thanks", "anna@example.com"],
    ["mailto:Info@Example.ru", "info@example.ru"],
    ["email:anna@example.com", "anna@example.com"],
    ["Иван@Пример.РФ", "иван@пример.рф"],
    ["почта: anna@почта.рф", "anna@почта.рф"],
    ["info@xn--80aswg.xn--p1ai", "info@xn--80aswg.xn--p1ai"],
    ["79123456789@mail.ru", "79123456789@mail.ru"],
  ])("finds %j as %s", (text, value) => {
    expect(extractLeads(text)).toEqual([expect.objectContaining({ kind: "email", value })]);
  });
});

describe("extractLeads: no false positives", () => {
  it.each([
    "заказ №123456789",
    "заказ 89123456789",
    "номер заказа 89123456789",
    "order #1234567890",
    "order #89123456789",
    "Order 00012345678",
    "Order 89123456789",
    "invoice 89123456789",
    "счёт 89123456789",
    "ИНН 7712345678",
    "ИНН 771234567890",
    "ОГРН 1027700132195",
    "СНИЛС 123-456-789 01",
    "2026-11-26",
    "26.11.2026",
    "26/11/2026",
    "2026.11.26",
    "26.11.2026 12:30:45",
    "12:30:45",
    "1 234 567 ₽",
    "1 234 567 890 ₽",
    "8 912 345 67 89 руб",
    "$1,234,567.89",
    "$ 89123456789",
    "€81234567890",
    "192.168.100.200",
    "IP 78.212.155.100",
    "v1.2.3.4",
    "version 10.0.19045.1234",
    "4276380012345678",
    "4276 3800 1234 5678",
    "+4276380012345678",
    "550e8400-e29b-41d4-a716-446655440000",
    "ISBN 978-5-699-12014-7",
    "978-3-16-148410-0",
    "0-306-40615-2",
    "(415) 555-2671",
    "415-555-2671",
    "the answer is 1234567890",
    "12345678901",
    "891234567890123456",
    "+1 234",
    "+7 (912) 345-67-89-00",
    "+7 912 345 67 8",
    "abc89123456789",
    "89123456789abc",
    "a-89123456789",
    "89123456789-1",
    "1+79123456789",
    "id 79123456789",
    "https://wa.me/79123456789",
    "https://x.com/@user",
    "x.com/@user",
    "https://user:pass@example.com/",
    "https://example.com/?email=anna@example.com",
    "user@localhost",
    "foo@bar",
    "a@b.c",
    "@user",
    "anna@",
    "anna@.com",
    "",
  ])("finds nothing in %j", (text) => {
    expect(extractLeads(text)).toEqual([]);
  });
});

describe("extractLeads: messages", () => {
  it("finds a phone and an e-mail in a Russian message, in order", () => {
    const text = "Меня зовут Анна, телефон 8 (912) 345-67-89, почта Anna.Smith+cip@Example.COM.";
    expect(extractLeads(text)).toEqual<Lead[]>([
      { kind: "phone", value: "+79123456789", raw: "8 (912) 345-67-89" },
      { kind: "email", value: "anna.smith+cip@example.com", raw: "Anna.Smith+cip@Example.COM" },
    ]);
  });

  it("finds an e-mail and a phone in an English message, in order", () => {
    const text =
      "Hi! I'm John (john.doe@acme.io), order #1234567890 — call me at +1 (415) 555-2671 after 12:30.";
    expect(values(text)).toEqual(["email:john.doe@acme.io", "phone:+14155552671"]);
  });

  it("ignores ids and dates around a real phone", () => {
    const text =
      "Заказ №4521 от 26.11.2026, ИНН 7712345678. Перезвоните на 8-912-345-67-89 до 18:00, сумма 1 234 ₽";
    expect(values(text)).toEqual(["phone:+79123456789"]);
  });

  it("finds every distinct phone in a list", () => {
    expect(values("tel: 8 912 345 67 89, 8 912 345 67 88\n+44 20 7946 0958")).toEqual([
      "phone:+79123456789",
      "phone:+79123456788",
      "phone:+442079460958",
    ]);
  });

  it("dedupes the same phone written in different formats, keeping the first", () => {
    const text = "Телефон 8 (912) 345-67-89, или +7 912 345 67 89, или 89123456789";
    expect(extractLeads(text)).toEqual<Lead[]>([
      { kind: "phone", value: "+79123456789", raw: "8 (912) 345-67-89" },
    ]);
  });

  it("dedupes e-mails that differ only in case", () => {
    expect(values("Anna@Example.com; anna@example.COM")).toEqual(["email:anna@example.com"]);
  });

  it("does not read a phone out of an e-mail address", () => {
    expect(values("89123456789@mail.ru")).toEqual(["email:89123456789@mail.ru"]);
  });
});

describe("extractLeads: adversarial input", () => {
  const SIZE = 100 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

  it.each([
    ["1 ", fill("1 ")],
    ["a@", fill("a@")],
    ["+7(", fill("+7(")],
    ["1.", fill("1.")],
    ["1-", fill("1-")],
    ["a.", fill("a.")],
    ["x@ + a.", `x@${fill("a.")}`],
    ["x@ + a-", `x@${fill("a-")}`],
    ["a.… + @", `${fill("a.")}@`],
    ["http", fill("http")],
    ["8 (912) ", fill("8 (912) ")],
    ["заказ 1 ", fill("заказ 1 ")],
    ["1.1.1.1 ", fill("1.1.1.1 ")],
    ["26.11.2026 ", fill("26.11.2026 ")],
  ])("handles 100 KB of %j in under 500 ms", (_name, text) => {
    const started = performance.now();
    extractLeads(text);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("still finds one lead per distinct value in a long repetitive message", () => {
    const text = "8 912 345 67 89, anna@example.com; ".repeat(3000);
    expect(values(text)).toEqual(["phone:+79123456789", "email:anna@example.com"]);
  });
});
