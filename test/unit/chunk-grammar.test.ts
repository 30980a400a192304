import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseExecuteBlock } from "../../src/chat/execute-detector.ts";
import { cleanId, readChunkBlock } from "../../src/commands/chunk-grammar.ts";

const ADD = ["question", "text", "position"] as const;
const EDIT = ["id", "question", "text", "position"] as const;
const add = (body: string) => readChunkBlock(parseExecuteBlock(body) ?? fail(), "question", ADD);
const edit = (body: string) => readChunkBlock(parseExecuteBlock(body) ?? fail(), "id", EDIT);
function fail(): never {
  throw new Error("no command");
}

describe("ADD_CHUNK grammar", () => {
  it("line 1 is the question, lines 2..n the text, verbatim", () => {
    expect(
      add(
        "\nADD_CHUNK\nСколько стоит доставка?\nДоставка = 500 руб.\n\n  - отступ: сохранён\ntext=тоже текст\n",
      ),
    ).toEqual({
      question: "Сколько стоит доставка?",
      text: "Доставка = 500 руб.\n\n  - отступ: сохранён\ntext=тоже текст",
    });
  });

  it("reads the key form, with text= running over several lines and position after it", () => {
    expect(add("ADD_CHUNK\nquestion=Q?\ntext=line one\nline = two\nposition=3")).toEqual({
      question: "Q?",
      text: "line one\nline = two",
      position: "3",
    });
  });

  it("takes a key line on line 2 as the key form (question on line 1, text= on line 2)", () => {
    expect(add("ADD_CHUNK\nQ?\ntext=T\nmore")).toEqual({ question: "Q?", text: "T\nmore" });
  });

  it("reads a one-line block", () => {
    expect(add("ADD_CHUNK question=Часы? text=С 9 до 18 position=2")).toEqual({
      question: "Часы?",
      text: "С 9 до 18",
      position: "2",
    });
  });

  it("never reads a line that is not one of the command's keys as a key", () => {
    expect(add("ADD_CHUNK\nQ?\nprice=500\nid=7")).toEqual({ question: "Q?", text: "price=500\nid=7" });
  });

  it("misses nothing: every line of the text survives", () => {
    const line = fc.string({ unit: fc.constantFrom(...'ab =:"*-_#ё') }).filter((l) => l.trim() !== "");
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        const text = lines.join("\n").trim();
        const parsed = add(`ADD_CHUNK\nВопрос?\n${lines.join("\n")}`);
        if (/^\s*(question|text|position)\s*=/i.test(lines[0] ?? "")) return; // the key form, by design
        expect(parsed.text).toBe(text);
      }),
    );
  });
});

describe("EDIT_CHUNK grammar", () => {
  const id = "5b0c7c52-2f0e-4b5e-9a8e-5d6c1e2f3a4b";
  it("line 1 the id, lines 2..n the new text", () => {
    expect(edit(`EDIT_CHUNK\n${id}\nНовый текст\nВторая строка = тоже`)).toEqual({
      id,
      text: "Новый текст\nВторая строка = тоже",
    });
  });
  it("the id on the command's line", () => {
    expect(edit(`EDIT_CHUNK ${id}\nНовый текст`)).toEqual({ id, text: "Новый текст" });
  });
  it("the key form with chunk_id and question", () => {
    expect(edit(`EDIT_CHUNK\nchunk_id=${id}\nquestion=Новый вопрос?`)).toEqual({
      id,
      question: "Новый вопрос?",
    });
  });
  it("cleans an id wrapped in backticks, quotes or angle brackets", () => {
    for (const w of [`\`${id}\``, `"${id}"`, `<${id}>`, `«${id}».`]) expect(cleanId(w)).toBe(id);
  });
});
