/**
 * The owner's API keys and exports in the cabinet: a key is made and shown once with a copy button, it
 * works against the API, the list shows its prefix and last use, revoking it (after a confirmation)
 * refuses it at once; the dialogs export downloads the streamed file.
 */
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner, signIn } from "./accounts.ts";
import { launch, onFailureShot, shot } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
let owner: Owner;
const errors: string[] = [];

beforeAll(async () => {
  browser = await launch();
  // Our own page: the confirmation before a revoke must be accepted, not dismissed.
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  owner = await createOwner("keys");
  await signIn(page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

const withKey = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe("API keys in the cabinet", () => {
  it("makes a key shown once, lists it, and revokes it at once", async () => {
    await onFailureShot(page, "api-keys", async () => {
      await page.goto(`${base}/${owner.slug}/my/api-keys`);
      await page.locator(`nav.cab-nav a[data-section="api-keys"][aria-current=page]`).waitFor();
      await page.fill("#api-key-name", "CRM sync");
      await page.check("#api-key-scope-chat");
      await page.locator("form button[type=submit]", { hasText: "Create key" }).click();
      const box = page.locator("#api-key-new");
      await box.waitFor();
      const key = await box.inputValue();
      expect(key).toMatch(/^cip_[A-Za-z0-9_-]{43}$/);
      await page.locator(".key-reveal button", { hasText: "Copy" }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
      const row = page.locator("tr", { hasText: "CRM sync" });
      await row.waitFor();
      expect(await row.locator("code").textContent()).toBe(`${key.slice(0, 12)}…`);
      expect(await row.textContent()).toContain("read, chat");
      await shot(page, "cabinet-api-keys", true);

      // The key works for a server; the list then shows its last use.
      await apiCall(`/tenants/${owner.tenantId}/me/dialogs`, withKey(key));
      await page.reload();
      await expect
        .poll(() => page.locator("tr", { hasText: "CRM sync" }).textContent())
        .not.toContain("never");
      expect(await page.locator("#api-key-new").count()).toBe(0);

      page.once("dialog", (d) => void d.accept());
      await page.locator("tr", { hasText: "CRM sync" }).locator("button", { hasText: "Revoke" }).click();
      await page.locator(".form-status.ok", { hasText: "Revoked." }).waitFor();
      expect(await page.locator("tr", { hasText: "CRM sync" }).count()).toBe(0);
      await expect(apiCall(`/tenants/${owner.tenantId}/me/dialogs`, withKey(key))).rejects.toThrow(
        /401 .*invalid_api_key/,
      );
      expect(errors).toEqual([]);
    });
  });

  it("downloads the dialogs export from the Dialogs view", async () => {
    await onFailureShot(page, "dialogs-export", async () => {
      await page.goto(`${base}/${owner.slug}/my/dialogs`);
      await page.locator("details.export-panel > summary").click();
      await page.selectOption("#export-format", "csv");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("details.export-panel button[type=submit]").click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^dialogs-${owner.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
      );
      const csv = readFileSync((await download.path()) ?? "", "utf8");
      expect(csv.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(
        "dialog_id,channel,visitor_id,dialog_created_at,message_id,seq,role,status,created_at,content",
      );
      await shot(page, "cabinet-dialogs-export", true);
    });
  });
});
