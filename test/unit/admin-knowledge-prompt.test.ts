import { describe, expect, it } from "vitest";
import { interviewReply, isAdminPrompt } from "../../scripts/lib/offline-model.ts";
import { adminGreeting } from "../../src/chat/admin-greeting.ts";
import { ADMIN_KNOWLEDGE_MAX, assembleAdminPrompt } from "../../src/chat/system-prompt.ts";

/** The lists the prompt ends with (the instructions above them show the grammar with placeholders). */
const lists = (prompt: string) => prompt.slice(prompt.lastIndexOf("\nGALLERIES:"));
const item = (n: number, description?: string) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  title: `Gallery ${n}`,
  description: description ?? null,
});

describe("the admin prompt's galleries and documents", () => {
  it("lists them with ids and one-line descriptions cut to 120 characters", () => {
    const long = `Kitchens\nand   bathrooms ${"x".repeat(300)}`;
    const prompt = assembleAdminPrompt([], {
      galleries: [item(1, long)],
      documents: [{ id: "d1", title: "Price list", description: "Windows from 5000" }],
    });
    expect(isAdminPrompt(prompt)).toBe(true);
    const line =
      lists(prompt)
        .split("\n")
        .find((l) => l.includes("group_id=")) ?? "";
    expect(line).toMatch(/^- group_id=\S+ «Gallery 1» — Kitchens and bathrooms x+…$/);
    expect(line.split(" — ")[1]?.length).toBe(120);
    expect(prompt).toContain("DOCUMENTS:\n- document_id=d1 «Price list» — Windows from 5000");
  });

  it("says (none) when there are none, and lists at most ADMIN_KNOWLEDGE_MAX of each", () => {
    expect(assembleAdminPrompt([])).toContain("GALLERIES:\n(none)\n\nDOCUMENTS:\n(none)");
    const many = Array.from({ length: ADMIN_KNOWLEDGE_MAX + 1 }, (_, i) => item(i + 1));
    const prompt = assembleAdminPrompt([], { galleries: many, documents: [] });
    expect(lists(prompt).match(/group_id=/g)?.length).toBe(ADMIN_KNOWLEDGE_MAX);
    expect(prompt).toContain("(more exist; only these are listed)");
    expect(prompt).not.toContain(`«Gallery ${ADMIN_KNOWLEDGE_MAX + 1}»`);
  });
});

describe("the setup chat's opening question", () => {
  it("asks about the business when nothing is saved, in the owner's language", () => {
    expect(adminGreeting("ru", 0)).toMatch(/Чем занимается ваша компания/);
    expect(adminGreeting("en", 0)).toMatch(/What does your business do/);
    expect(adminGreeting("en", 3)).toContain("3 topics");
    expect(adminGreeting(undefined, 0)).toBe(adminGreeting("ru", 0));
  });

  it("lets the offline stand-in go on from it: the owner's answer is saved as the first topic", () => {
    const reply = interviewReply([
      { role: "system", content: assembleAdminPrompt([]) },
      { role: "assistant", content: adminGreeting("ru", 0) },
      { role: "user", content: "Делаем кухни на заказ." },
    ]);
    expect(reply).toContain("ADD_CHUNK\nЧем занимается компания?\nДелаем кухни на заказ.");
  });
});
