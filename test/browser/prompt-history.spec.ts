/**
 * Prompt history in the cabinet: the owner edits a chunk, opens the history, sees the word diff of the
 * change with its author and channel, restores the earlier version in one click and sees the old text.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner, signIn } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let w: Watched;
let owner: Owner;
let chunkId: string;

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  owner = await createOwner("history");
  const chunk = await apiCall<{ id: string }>(`/tenants/${owner.tenantId}/me/prompt/chunks`, {
    method: "POST",
    token: owner.token,
    body: JSON.stringify({ question: "Opening hours?", text: "We open at 9 every day." }),
  });
  chunkId = chunk.id;
  await signIn(w.page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

describe("prompt history", () => {
  it("shows the diff of an edit and restores the earlier version in one click", async () => {
    const { page } = w;
    await onFailureShot(page, "prompt-history", async () => {
      await page.goto(`${base}/${owner.slug}/my/prompt`);
      const card = page.locator(`form.chunk[data-chunk="${chunkId}"]`);
      await card.locator("textarea[name=text]").fill("We open at 10 every day except Sunday.");
      await card.locator("button[type=submit]").click();
      await expect
        .poll(async () => {
          const { items } = await apiCall<{ items: Array<{ text: string }> }>(
            `/tenants/${owner.tenantId}/me/prompt/chunks`,
            { token: owner.token },
          );
          return items[0]?.text;
        })
        .toBe("We open at 10 every day except Sunday.");

      // The chunk's own "History" button opens the panel narrowed to it.
      await page.locator(`form.chunk[data-chunk="${chunkId}"] button`, { hasText: "History" }).click();
      const edit = page.locator("li.revision[data-action=update]");
      await edit.waitFor();
      expect(await page.locator("li.revision").count()).toBe(2);
      const head = (await edit.locator(".revision-head").textContent()) ?? "";
      expect(head).toContain("Edited");
      expect(head).toContain(owner.email);
      expect(head).toContain("cabinet");
      expect(await edit.locator(".diff del").allTextContents()).toEqual(["9"]);
      expect(await edit.locator(".diff ins").allTextContents()).toEqual(["10", " except Sunday"]);
      expect(await edit.locator(".diff").textContent()).toBe("We open at 910 every day except Sunday.");
      await shot(page, "prompt-history-diff", true);

      await page.locator("li.revision[data-action=create] button[data-restore]").click();
      await expect
        .poll(() => page.locator(`form.chunk[data-chunk="${chunkId}"] textarea[name=text]`).inputValue())
        .toBe("We open at 9 every day.");
      await page.locator("li.revision[data-action=restore]").waitFor();
      expect(await page.locator("li.revision").first().getAttribute("data-action")).toBe("restore");
      const restoreDiff = page.locator("li.revision[data-action=restore] .diff").last();
      expect(await restoreDiff.locator("del").allTextContents()).toEqual(["10", " except Sunday"]);
      await shot(page, "prompt-history-restored", true);
    });
    const { items } = await apiCall<{ items: Array<{ text: string }> }>(
      `/tenants/${owner.tenantId}/me/prompt/chunks`,
      { token: owner.token },
    );
    expect(items.map((c) => c.text)).toEqual(["We open at 9 every day."]);
    expect(w.errors).toEqual([]);
  });
});
