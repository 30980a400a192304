import { describe, expect, it } from "vitest";
import { galleryPhotos, splitMessage, TELEGRAM_TEXT_LIMIT } from "../../src/services/telegram/sender.ts";

describe("splitMessage", () => {
  it("keeps a short text whole (trimmed) and drops an empty one", () => {
    expect(splitMessage("  hello  ")).toEqual(["hello"]);
    expect(splitMessage(" \n ")).toEqual([]);
    expect(splitMessage("x".repeat(TELEGRAM_TEXT_LIMIT))).toHaveLength(1);
  });

  it("prefers paragraph breaks", () => {
    const p = (c: string) => `${c.repeat(59)}.`;
    const text = [p("a"), p("b"), p("c")].join("\n\n");
    expect(splitMessage(text, 130)).toEqual([`${p("a")}\n\n${p("b")}`, p("c")]);
  });

  it("falls back to lines, then sentences, then words", () => {
    expect(splitMessage(`${"a".repeat(60)}\n${"b".repeat(60)}`, 100)).toEqual([
      "a".repeat(60),
      "b".repeat(60),
    ]);
    const sentences = `${"One two three. ".repeat(5)}Four five six seven eight nine ten`;
    const parts = splitMessage(sentences, 40);
    expect(parts[0]).toBe("One two three. One two three.");
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(40);
    expect(splitMessage(`${"word ".repeat(30)}`, 22)).toEqual([
      ...Array(7).fill("word word word word"),
      "word word",
    ]);
  });

  it("hard-cuts a text without spaces, never inside a surrogate pair", () => {
    const text = `${"x".repeat(9)}😀${"y".repeat(10)}`;
    const parts = splitMessage(text, 10);
    expect(parts.join("")).toBe(text);
    expect(parts[0]).toBe("x".repeat(9));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(10);
  });

  it("never exceeds the limit on a long mixed text", () => {
    const text = Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? `Line ${i}.\n\n` : `word${i} `)).join(
      "",
    );
    const parts = splitMessage(text.repeat(10), 500);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(500);
    expect(parts.join(" ").replace(/\s+/g, " ")).toBe(text.repeat(10).trim().replace(/\s+/g, " "));
  });
});

describe("galleryPhotos", () => {
  it("takes the image URLs of successful gallery commands only", () => {
    const gallery = (urls: string[]) => ({
      gallery: { images: urls.map((url) => ({ url, caption: null })) },
    });
    expect(
      galleryPhotos([
        { name: "SHOW_GALLERY", ok: true, result: "", data: gallery(["https://a/1", "https://a/2"]) },
        { name: "SHOW_GALLERY", ok: false, result: "", data: gallery(["https://bad"]) },
        { name: "LIST_GALLERIES", ok: true, result: "", data: { groups: [] } },
        { name: "RAG_SEARCH", ok: true, result: "" },
      ]),
    ).toEqual([{ url: "https://a/1" }, { url: "https://a/2" }]);
  });
});
