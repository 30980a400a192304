/** Pure parts of issue 20: the chat's language choice, SET_STARTERS' lines, the starter rules. */
import { describe, expect, it } from "vitest";
import { readStarters } from "../../src/commands/set-starters.ts";
import { pinnedLanguage, visitorLanguage } from "../../src/services/budgets/chat-limits.ts";
import { startersProblem, trimStarters } from "../../src/services/embed/starters.ts";
import { chatLocale } from "../../web/shared/i18n.ts";

describe("chatLocale", () => {
  it("takes the pinned language, else the first ru/en browser language, else the tenant's", () => {
    expect(chatLocale("en", "ru", ["ru-RU"])).toBe("en");
    expect(chatLocale("ru", "en", ["en-US"])).toBe("ru");
    expect(chatLocale("auto", "en", ["ru-RU", "en"])).toBe("ru");
    expect(chatLocale(undefined, "ru", ["de-DE", "en-GB", "ru"])).toBe("en");
    expect(chatLocale("auto", "en", ["de-DE", "fr"])).toBe("en");
    expect(chatLocale("auto", "ru", [])).toBe("ru");
    expect(chatLocale("xx", "ru", ["EN"])).toBe("en");
  });

  it("server side: a pinned language wins over Accept-Language", () => {
    expect(pinnedLanguage({ chatLanguage: "en" })).toBe("en");
    expect(pinnedLanguage({ chatLanguage: "auto" })).toBeNull();
    expect(pinnedLanguage({})).toBeNull();
    expect(visitorLanguage("en-US,en;q=0.9")).toBe("en");
  });
});

describe("starters", () => {
  it("reads one question per line, dropping list marks, quotes, blanks and repeats", () => {
    expect(
      readStarters("", ["- Price?", "2) Hours?", "", "  «Where?»  ", "* price?", "• Delivery?"]),
    ).toEqual(["Price?", "Hours?", "Where?", "Delivery?"]);
    expect(readStarters("Inline?", ["Next?"])).toEqual(["Inline?", "Next?"]);
    expect(readStarters("", [])).toEqual([]);
  });

  it("names what is wrong: too many, empty, too long (code points), repeated", () => {
    expect(startersProblem(["a", "b", "c", "d", "e", "f"])).toBeNull();
    expect(startersProblem(["a", "b", "c", "d", "e", "f", "g"])).toEqual({ kind: "too_many", max: 6 });
    expect(startersProblem([""])).toEqual({ kind: "empty" });
    expect(startersProblem(["😀".repeat(80)])).toBeNull();
    expect(startersProblem(["x".repeat(81)])?.kind).toBe("too_long");
    expect(startersProblem(["Price?", "PRICE?"])?.kind).toBe("duplicate");
    expect(trimStarters(["  a \n b  "])).toEqual(["a b"]);
  });
});
