import { describe, expect, it } from "vitest";
import adminTxt from "../../prompts/admin_chat_prompt.txt?raw";
import userTxt from "../../prompts/user_chat_prompt.txt?raw";
import { assembleAdminPrompt, assembleUserPrompt } from "../../src/chat/system-prompt.ts";
import { commandsFor } from "../../src/commands/registry.ts";
import { ADMIN_CHAT_PROMPT } from "../../src/prompts/admin-chat-prompt.ts";
import { USER_CHAT_PROMPT } from "../../src/prompts/user-chat-prompt.ts";

describe("prompt files", () => {
  it("are bundled unchanged (run `npm run prompts` after editing prompts/*.txt)", () => {
    expect(USER_CHAT_PROMPT).toBe(userTxt);
    expect(ADMIN_CHAT_PROMPT).toBe(adminTxt);
  });

  it("explain every command of their channel", () => {
    for (const name of commandsFor("web")) expect(USER_CHAT_PROMPT).toContain(name);
    for (const name of commandsFor("admin")) expect(ADMIN_CHAT_PROMPT).toContain(name);
    // Setup-only commands stay out of the visitor prompt (MCP serves both channels).
    const setupOnly = commandsFor("admin").filter((name) => !commandsFor("web").includes(name));
    for (const name of setupOnly) expect(USER_CHAT_PROMPT).not.toContain(name);
  });
});

describe("assembled prompts", () => {
  const chunks = [
    { id: "a", position: 1, question: "Hours?", text: "9 to 18." },
    { id: "b", position: 2, question: "Delivery?", text: "x".repeat(500) },
  ];

  it("put chunks after the base prompt, in order", () => {
    const prompt = assembleUserPrompt(null, chunks);
    expect(prompt.startsWith(USER_CHAT_PROMPT.trim())).toBe(true);
    expect(prompt.indexOf("### Hours?")).toBeLessThan(prompt.indexOf("### Delivery?"));
  });

  it("use the tenant's base prompt when set", () => {
    expect(assembleUserPrompt("Custom base.", chunks).startsWith("Custom base.")).toBe(true);
  });

  it("list chunk ids with a text preview for the admin bot", () => {
    const prompt = assembleAdminPrompt(chunks);
    expect(prompt).toContain("id=a position=1");
    expect(prompt).toContain("CURRENT CHUNKS (2)");
    expect(prompt).not.toContain("x".repeat(200));
  });
});
