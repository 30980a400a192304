import { describe, expect, it } from "vitest";
import { documentTitle } from "../../src/services/knowledge/documents/extract.ts";
import { decodeEntities, htmlToText, markdownToText } from "../../src/services/knowledge/documents/html.ts";
import { splitPassages } from "../../src/services/knowledge/documents/passages.ts";
import { orQuery } from "../../src/services/knowledge/documents/search.ts";

describe("splitPassages", () => {
  const sentence = (i: number) => `Предложение номер ${i} рассказывает о пластиковых окнах и монтаже.`;
  const paragraph = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => sentence(from + i)).join(" ");

  it("keeps a short text whole, and gives nothing for blank text", () => {
    expect(splitPassages("Короткий текст.\n\nВторой абзац.")).toEqual(["Короткий текст.\n\nВторой абзац."]);
    expect(splitPassages(" \n\n ")).toEqual([]);
  });

  it("cuts long text into 800-1200 character passages on boundaries, with overlap, losing nothing", () => {
    const text = Array.from({ length: 20 }, (_, p) => paragraph(p * 6, 6)).join("\n\n");
    const passages = splitPassages(text);
    expect(passages.length).toBeGreaterThan(4);
    for (const passage of passages.slice(0, -1)) {
      expect(passage.length).toBeLessThanOrEqual(1200);
      expect(passage.length).toBeGreaterThanOrEqual(400);
      expect(passage).toMatch(/[.!?]$/);
    }
    for (let i = 0; i < 120; i++) expect(passages.some((p) => p.includes(sentence(i)))).toBe(true);
    const shared = passages
      .slice(1)
      .filter((p, i) => p.startsWith((passages[i] ?? "").split(/(?<=\.) /).at(-1) ?? "-"));
    expect(shared.length).toBeGreaterThan(0);
  });

  it("splits one huge paragraph at sentences, and a huge word anywhere", () => {
    const passages = splitPassages(paragraph(0, 60));
    expect(passages.length).toBeGreaterThan(2);
    for (const p of passages) expect(p.length).toBeLessThanOrEqual(1200);
    const word = splitPassages("x".repeat(3000));
    expect(word.map((p) => p.length)).toEqual([1200, 1200, 600]);
  });
});

describe("HTML and markdown to text", () => {
  it("drops scripts, styles and comments, keeps blocks apart, decodes entities", () => {
    const { title, text } = htmlToText(`<html><head><title>Shop &mdash; About</title>
      <style>p { color: red }</style><script>var x = "<p>secret</p>";</script></head>
      <body><!-- hidden --><h1>About&nbsp;us</h1><p>We sell <b>windows</b> &amp; doors.</p>
      <ul><li>One</li><li>Two &#8470;&#x31;</li></ul><table><tr><td>a</td><td>b</td></tr></table></body></html>`);
    expect(title).toBe("Shop — About");
    expect(text).toBe("About us\n\nWe sell windows & doors.\n\nOne\n\nTwo №1\n\na b");
  });

  it("decodes entities safely", () => {
    expect(decodeEntities("&lt;a&gt; &quot;&#39;&unknown; &#0; &#x110000;")).toBe(`<a> "'&unknown;  `);
  });

  it("takes the markdown title and strips link and image markup", () => {
    const { title, text } = markdownToText(
      "# Доставка\n\nСм. [условия](https://x.example) и ![схема](a.png).\n\n**Важно**: `код`",
    );
    expect(title).toBe("Доставка");
    expect(text).toBe("Доставка\n\nСм. условия и схема.\n\nВажно: код");
  });

  it("names a document by the asked title, then its own, then the file name", () => {
    expect(documentTitle(" Мой ", "Own", "f.txt")).toBe("Мой");
    expect(documentTitle(undefined, "Own", "f.txt")).toBe("Own");
    expect(documentTitle(undefined, null, "price list.pdf")).toBe("price list");
  });
});

describe("orQuery", () => {
  it("ORs the words and drops syntax", () => {
    expect(orQuery('Сколько стоят "окна" -дешево?')).toBe("Сколько or стоят or окна or дешево");
    expect(orQuery("windows OR doors")).toBe("windows or doors");
    expect(orQuery(" ?! ")).toBe("");
  });
});
