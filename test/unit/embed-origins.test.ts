import { describe, expect, it } from "vitest";
import {
  buildEmbed,
  frameAncestors,
  isOriginAllowed,
  normalizeOrigin,
} from "../../src/services/embed/embed.ts";

describe("normalizeOrigin", () => {
  it.each([
    ["https://shop.example", "https://shop.example"],
    ["https://Shop.EXAMPLE/", "https://shop.example"],
    ["http://localhost:3000", "http://localhost:3000"],
    ["https://a.example:443", "https://a.example"],
    ["http://a.example:80", "http://a.example"],
    ["https://127.0.0.1:8443", "https://127.0.0.1:8443"],
    ["https://пример.рф", "https://xn--e1afmkfd.xn--p1ai"],
    ["  https://trim.example  ", "https://trim.example"],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeOrigin(input)).toBe(expected);
  });

  it.each([
    "https://shop.example/path",
    "https://shop.example//",
    "https://shop.example?q",
    "https://shop.example#x",
    "https://u:p@shop.example",
    "https://@shop.example",
    "https://*.example",
    "ftp://shop.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "shop.example",
    "//shop.example",
    "https://",
    "https://a b.example",
    "https://a.example;frame-ancestors *",
    "https://a.example\\evil",
    "null",
    "",
  ])("refuses %j", (input) => {
    expect(normalizeOrigin(input)).toBeNull();
  });
});

describe("frameAncestors", () => {
  it("opens the embed page to every site when no origin is listed", () => {
    expect(frameAncestors([], "https://cip.example")).toBe("frame-ancestors *");
  });

  it("lists self and the allowed origins, deduplicated", () => {
    expect(frameAncestors(["https://shop.example", "https://SHOP.example/"], "https://cip.example")).toBe(
      "frame-ancestors 'self' https://cip.example https://shop.example",
    );
  });

  it("drops entries that are not clean origins, so nothing can inject a directive", () => {
    const value = frameAncestors(
      ["https://ok.example", "https://x.example; script-src *", "*"],
      "https://cip.example",
    );
    expect(value).toBe("frame-ancestors 'self' https://cip.example https://ok.example");
    expect(value).not.toContain(";");
    expect(frameAncestors(["garbage"], "https://cip.example")).toBe(
      "frame-ancestors 'self' https://cip.example",
    );
  });
});

describe("isOriginAllowed", () => {
  const self = ["https://cip.example"];
  it("allows the app itself and listed origins only", () => {
    expect(isOriginAllowed("https://cip.example", ["https://shop.example"], self)).toBe(true);
    expect(isOriginAllowed("https://shop.example", ["https://shop.example"], self)).toBe(true);
    expect(isOriginAllowed("https://evil.example", ["https://shop.example"], self)).toBe(false);
    expect(isOriginAllowed("https://shop.example.evil.example", ["https://shop.example"], self)).toBe(false);
    expect(isOriginAllowed("http://shop.example", ["https://shop.example"], self)).toBe(false);
    expect(isOriginAllowed("null", ["https://shop.example"], self)).toBe(false);
  });

  it("allows any origin, opaque ones included, when the list is empty", () => {
    expect(isOriginAllowed("https://anything.example", [], self)).toBe(true);
    expect(isOriginAllowed("null", [], self)).toBe(true);
  });
});

describe("buildEmbed", () => {
  it("escapes what it puts into attributes", () => {
    const e = buildEmbed({ slug: "shop", name: '"><script>x</script>', settings: {} }, "https://cip.example");
    expect(e.iframe_html).not.toContain("<script>");
    expect(e.iframe_html).toContain("&quot;&gt;&lt;script&gt;");
    expect(e.script_html).toBe(
      '<script src="https://cip.example/widget.js" data-tenant="shop" async></script>',
    );
  });
});
