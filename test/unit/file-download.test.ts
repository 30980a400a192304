import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/db/keyset.ts";
import { contentDisposition } from "../../src/routes/cabinet-files.ts";
import { PageQuery } from "../../src/schemas/uploads.ts";
import { parseRange } from "../../src/services/knowledge/files.ts";

describe("parseRange", () => {
  it.each([
    ["bytes=0-9", { offset: 0, length: 10 }],
    ["bytes=-5", { offset: 95, length: 5 }],
    ["bytes=-500", { offset: 0, length: 100 }],
    ["bytes=10-", { offset: 10, length: 90 }],
    ["bytes=99-99", { offset: 99, length: 1 }],
    ["bytes=50-1000", { offset: 50, length: 50 }],
    [" Bytes = 1-2", { offset: 1, length: 2 }],
  ])("%s", (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });

  it("ignores absent headers, other units and several ranges", () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange("items=0-1", 100)).toBeNull();
    expect(parseRange("bytes=0-1,5-6", 100)).toBeNull();
  });

  it.each(["bytes=100-", "bytes=5-2", "bytes=-0", "bytes=x-1", "bytes=-", "bytes="])(
    "%s is unsatisfiable",
    (h) => {
      expect(parseRange(h, 100)).toBe("unsatisfiable");
    },
  );

  it("finds nothing to serve in an empty file", () => {
    expect(parseRange("bytes=0-", 0)).toBe("unsatisfiable");
    expect(parseRange("bytes=-1", 0)).toBe("unsatisfiable");
  });
});

describe("contentDisposition", () => {
  it("gives an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("report.pdf")).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    );
    const header = contentDisposition(`счёт "мой"; 100%.txt`);
    expect(header).toMatch(/^attachment; filename="[^"\\]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    expect(decodeURIComponent(header.split("''")[1] ?? "")).toBe(`счёт "мой"; 100%.txt`);
    expect(contentDisposition("a'b(c)*.txt")).toContain("filename*=UTF-8''a%27b%28c%29%2A.txt");
  });
});

describe("cursors", () => {
  it("round-trip and refuse anything else", () => {
    const id = crypto.randomUUID();
    const ts = "2026-11-20T10:00:00.123456Z";
    expect(PageQuery.parse({ cursor: encodeCursor({ at: ts, id }) })).toEqual({
      limit: 20,
      cursor: { at: ts, id },
    });
    expect(PageQuery.parse({ limit: "5" })).toEqual({ limit: 5 });
    for (const bad of [
      "",
      "!!!",
      btoa("2026|x"),
      btoa(`${ts}|${id}`),
      btoa(JSON.stringify([ts, "not-an-id"])),
    ]) {
      expect(PageQuery.safeParse({ cursor: bad }).success).toBe(false);
    }
  });
});
