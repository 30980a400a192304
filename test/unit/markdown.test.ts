/**
 * The chat's markdown renderer (web/shared/markdown.ts): GFM pipe tables and nested lists, hostile text in
 * them kept as text, and every prefix of a streamed answer rendering without an error.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../web/shared/markdown.ts";
import { parseBlocks, splitRow } from "../../web/shared/markdown-blocks.ts";
import { type FakeFragment, installFakeDocument, serialize } from "../helpers/fake-dom.ts";

beforeAll(installFakeDocument);

const html = (source: string) => serialize(renderMarkdown(source) as unknown as FakeFragment);

describe("tables", () => {
  it("renders a pipe table with a header, body rows and alignment", () => {
    const out = html(
      "| Item | Price | Qty |\n|:-----|------:|:---:|\n| Tea | 5 € | 2 |\n| **Cake** | 7 € | 1 |",
    );
    expect(out).toBe(
      '<div class="md-table-wrap"><table class="md-table"><thead><tr>' +
        '<th class="md-al-left">Item</th><th class="md-al-right">Price</th><th class="md-al-center">Qty</th>' +
        "</tr></thead><tbody>" +
        '<tr><td class="md-al-left">Tea</td><td class="md-al-right">5 €</td><td class="md-al-center">2</td></tr>' +
        '<tr><td class="md-al-left"><strong>Cake</strong></td><td class="md-al-right">7 €</td><td class="md-al-center">1</td></tr>' +
        "</tbody></table></div>",
    );
  });

  it("takes tables without outer pipes, right after a paragraph, with short and long rows evened out", () => {
    const blocks = parseBlocks("Prices:\nA | B\n--- | ---\n1\n1 | 2 | 3\n\nAfter.");
    expect(blocks).toEqual([
      { kind: "paragraph", lines: ["Prices:"] },
      {
        kind: "table",
        align: [null, null],
        header: ["A", "B"],
        rows: [
          ["1", ""],
          ["1", "2"],
        ],
      },
      { kind: "paragraph", lines: ["After."] },
    ]);
  });

  it("keeps escaped pipes in a cell and leaves a header without a matching separator as text", () => {
    expect(splitRow("| a \\| b | c |")).toEqual(["a | b", "c"]);
    expect(parseBlocks("| a | b |\n| --- |")[0]).toEqual({
      kind: "paragraph",
      lines: ["| a | b |", "| --- |"],
    });
    expect(parseBlocks("a\n---")[1]).toEqual({ kind: "rule" });
  });

  it("keeps HTML in cells as text: no script, no img element, no attribute from the text", () => {
    const out = html(
      '| <script>alert(1)</script> | <img src=x onerror="alert(2)"> |\n|---|---|\n| <b>x</b> | [x](javascript:alert(3)) |',
    );
    expect(out).not.toMatch(/<script|<img|<b>|href=/);
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain('&lt;img src=x onerror="alert(2)"&gt;');
    expect(out).toContain("[x](javascript:alert(3))");
  });
});

describe("nested lists", () => {
  it("nests by indentation, ordered and unordered mixed, with continuation lines", () => {
    const out = html(
      "1. Order\n   - online\n   - by phone\n     call 9-18\n2. Pay\n    1. card\n    2. cash\n- after",
    );
    expect(out).toBe(
      "<ol><li>Order<ul><li>online</li><li>by phone call 9-18</li></ul></li>" +
        "<li>Pay<ol><li>card</li><li>cash</li></ol></li></ol><ul><li>after</li></ul>",
    );
  });

  it("goes three levels deep and back, and keeps a list across blank lines between items", () => {
    const out = html("- a\n  - b\n    - c\n  - d\n\n- e\n\nText");
    expect(out).toBe(
      "<ul><li>a<ul><li>b<ul><li>c</li></ul></li><li>d</li></ul></li><li>e</li></ul><p>Text</p>",
    );
  });

  it("keeps the start number and HTML in items as text", () => {
    const out = html("3. <script>x</script>\n   * <img src=x onerror=alert(1)>");
    expect(out).toBe(
      '<ol start="3"><li>&lt;script&gt;x&lt;/script&gt;<ul><li>&lt;img src=x onerror=alert(1)&gt;</li></ul></li></ol>',
    );
  });

  it("does not nest past six levels (deeper items stay text)", () => {
    const deep = Array.from({ length: 9 }, (_, n) => `${"  ".repeat(n)}- l${n}`).join("\n");
    expect(() => html(deep)).not.toThrow();
    expect(html(deep).match(/<ul>/g)).toHaveLength(6);
    expect(html(deep)).toContain("l8");
  });
});

describe("streaming", () => {
  it("renders every prefix of an answer with tables and nested lists without throwing", () => {
    const answer =
      "Here:\n\n| Plan | Price |\n|:--|--:|\n| Basic | 10 |\n| Pro | **20** |\n\n1. First\n   - sub `code`\n     more\n2. Second\n\n```\nx | y\n```\n> quote\n";
    for (let n = 0; n <= answer.length; n += 1) expect(() => html(answer.slice(0, n))).not.toThrow();
    expect(html(answer.slice(0, answer.indexOf("|:--") + 6))).toContain("<table");
    expect(html(answer)).toContain("<pre><code>x | y</code></pre>");
  });

  it("renders odd input (only pipes, only dashes, lone markers, tabs) without throwing", () => {
    for (const s of ["|", "||\n||", "|-|\n|-|", "-", "- ", "1.", "\t- a\n\t\t- b", "|\n|---|", "- a\n\n\n"]) {
      expect(() => html(s)).not.toThrow();
    }
  });
});
