import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, keysetPage, parseCursor } from "../../src/db/keyset.ts";
import { AppError } from "../../src/errors.ts";
import { likeContains } from "../../src/services/dialogs/dialogs-read.ts";

const id = "0b8e3c9e-5d3f-4c1a-9f0e-2a6b7c8d9e0f";

describe("keyset cursors", () => {
  it("round-trip with microseconds, and are URL-safe", () => {
    const cursor = { at: "2026-03-01T10:00:00.123456Z", id };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each([
    ["not base64", "***"],
    ["not JSON", btoa("hello")],
    ["an object", btoa(JSON.stringify({ at: "x", id }))],
    ["milliseconds only", btoa(JSON.stringify(["2026-03-01T10:00:00.123Z", id]))],
    ["a date the calendar lacks", btoa(JSON.stringify(["2026-02-30T10:00:00.000000Z", id]))],
    ["hour 25", btoa(JSON.stringify(["2026-02-03T25:00:00.000000Z", id]))],
    ["a bad id", btoa(JSON.stringify(["2026-03-01T10:00:00.123456Z", "1; drop table dialogs"]))],
  ])("refuses %s with a 422 naming cursor", (_label, raw) => {
    try {
      decodeCursor(raw);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(422);
      expect((err as AppError).details?.issues?.[0]?.path).toBe("cursor");
    }
  });
});

describe("keysetPage", () => {
  const rows = ["a", "b", "c"].map((name, i) => ({
    name,
    at: "2026-03-01T10:00:00.123456Z",
    id: `${i}${id.slice(1)}`,
  }));
  const position = (r: (typeof rows)[number]) => ({ at: r.at, id: r.id });

  it("shows `limit` rows and points after the last one when another was fetched", () => {
    const page = keysetPage(rows, 2, position, (r) => r.name);
    expect(page.items).toEqual(["a", "b"]);
    expect(decodeCursor(page.next_cursor ?? "")).toEqual(position(rows[1] as (typeof rows)[number]));
  });

  it("ends the list (no cursor) when nothing beyond the page was fetched", () => {
    expect(keysetPage(rows, 3, position, (r) => r.name)).toEqual({
      items: ["a", "b", "c"],
      next_cursor: null,
    });
    expect(keysetPage([], 1, position, (r: (typeof rows)[number]) => r.name)).toEqual({
      items: [],
      next_cursor: null,
    });
  });

  it("parseCursor answers null instead of throwing", () => {
    expect(parseCursor("***")).toBeNull();
    expect(parseCursor(encodeCursor({ at: "2026-03-01T10:00:00.123456Z", id }))).not.toBeNull();
  });
});

describe("likeContains", () => {
  it("escapes LIKE wildcards and the escape character", () => {
    expect(likeContains("50%_off\\")).toBe("%50\\%\\_off\\\\%");
    expect(likeContains("plain")).toBe("%plain%");
  });
});
