import { describe, expect, it } from "vitest";
import { parseEnvFile, SETTING_NAMES, toEnvFile } from "../../scripts/lib/settings.ts";

describe("settings files", () => {
  it("parses KEY=VALUE with comments, quotes and export", () => {
    const parsed = parseEnvFile("# c\nA=1\n\nexport B=\"two words\"\nC='x=y'\nbad line\n");
    expect(parsed).toEqual({ A: "1", B: "two words", C: "x=y" });
  });

  it("round-trips through the env-file writer", () => {
    const values = { DEEPSEEK_API_KEY: 'k"ey', SMTP_FROM: "CIP <a@b.c>" };
    expect(parseEnvFile(toEnvFile(values))).toEqual({ DEEPSEEK_API_KEY: 'k\\"ey', SMTP_FROM: "CIP <a@b.c>" });
  });

  it("lists every setting of DESIGN.md", () => {
    for (const name of [
      "DEEPSEEK_API_URL",
      "DEEPSEEK_THINKING",
      "JWT_SECRET",
      "SMTP_HOST",
      "DATABASE_URL",
      "TELEGRAM_API_URL",
      "PORT",
    ]) {
      expect(SETTING_NAMES).toContain(name);
    }
  });
});
