/**
 * Documents the owner can correct, in the cabinet: a Markdown upload opens its extracted text for
 * review, the owner fixes a word and saves, the document shows as searchable and the search finds the
 * corrected text. And the setup chat opens with the bot's own first question, without the owner writing.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner, signIn } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let w: Watched;
let owner: Owner;

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  owner = await createOwner("docreview");
  await signIn(w.page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

describe("document review", () => {
  it("uploads Markdown, edits the extracted text, saves it and sees it ready", async () => {
    const { page } = w;
    await onFailureShot(page, "documents-review", async () => {
      await page.goto(`${base}/${owner.slug}/my/documents`);
      await page.locator("input[type=file]").setInputFiles({
        name: "warranty.md",
        mimeType: "text/markdown",
        buffer: Buffer.from("# Warranty\n\nWindows carry a five yaer warranty from Mr Grimsby.\n"),
      });
      const area = page.locator("textarea.doc-text");
      await area.waitFor();
      expect(await area.inputValue()).toContain("five yaer warranty");
      expect(await page.locator("li.card[data-status=draft]").count()).toBe(1);
      await shot(page, "documents-review-draft", true);

      await area.fill("Windows carry a five year warranty from Mr Grimsby.");
      await page.getByRole("button", { name: "Save and index" }).click();
      await page.locator("li.card[data-status=ready]").waitFor();
      expect(await page.locator("li.card .doc-status").first().textContent()).toBe("searchable");

      const { items } = await apiCall<{ items: Array<{ snippet: string }> }>(
        `/tenants/${owner.tenantId}/me/documents/search?q=${encodeURIComponent("Grimsby year")}`,
        { token: owner.token },
      );
      expect(items[0]?.snippet).toContain("five year warranty");
      await shot(page, "documents-review-ready", true);

      // An indexed document can be corrected again from its card.
      await page.getByRole("button", { name: "Edit text" }).click();
      await area.waitFor();
      expect(await area.inputValue()).toBe("Windows carry a five year warranty from Mr Grimsby.");
      expect(await page.getByRole("button", { name: "Index as is" }).count()).toBe(0);
    });
  });

  it("opens an empty setup chat with the bot's first question", async () => {
    const { page } = w;
    await onFailureShot(page, "setup-chat-opening", async () => {
      await page.goto(`${base}/${owner.slug}/my/admin-chat`);
      const opening = page.locator(".msg-opening");
      await opening.waitFor();
      expect(await opening.textContent()).toContain("What does your business do");
      await shot(page, "setup-chat-opening", true);
    });
  });
});
