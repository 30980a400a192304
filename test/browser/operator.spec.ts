/**
 * The platform operator's console (docs/operator.md): the owner of the platform tenant `ops` (listed in
 * PLATFORM_ADMINS by test/browser/stack.ts) signs in, sees the console, searches a tenant and blocks it
 * (its visitor page answers "unavailable"), then unblocks it (the chat answers again). Another tenant's
 * owner sees no console.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  apiCall,
  CLIENT_IP,
  createOwner,
  linkIn,
  type Owner,
  PASSWORD,
  scriptReply,
  signIn,
  waitForMail,
} from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
const OPS_EMAIL = "ops-admin@example.com";
let browser: Browser;
let w: Watched;
let target: Owner;

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  await w.context.setExtraHTTPHeaders({ "cf-connecting-ip": CLIENT_IP });
  // The console's block button asks first: accept.
  w.page.removeAllListeners("dialog");
  w.page.on("dialog", (d) => void d.accept().catch(() => {}));
  await apiCall("/tenants", {
    method: "POST",
    body: JSON.stringify({
      slug: "ops",
      name: "Platform Ops",
      email: OPS_EMAIL,
      password: PASSWORD,
      locale: "en",
    }),
  });
  const token =
    new URL(linkIn(await waitForMail(OPS_EMAIL), "/confirm?token=")).searchParams.get("token") ?? "";
  await apiCall(`/tenants/by-slug/ops/confirm?token=${encodeURIComponent(token)}`);
  target = await createOwner("blockme");
});
afterAll(async () => {
  await browser?.close();
});

const lastAnswer = () => w.page.locator(".msg-assistant:not(.msg-greeting)").last();

async function ask(text: string): Promise<void> {
  const { page } = w;
  await page.goto(`${base}/${target.slug}/chat`);
  await page.locator("textarea[name=message]").waitFor();
  await page.fill("textarea[name=message]", text);
  await page.keyboard.press("Enter");
  await expect
    .poll(() => lastAnswer().getAttribute("data-state"), { timeout: 30_000 })
    .toMatch(/^(done|error)$/);
}

describe("operator console", () => {
  it("signs in, finds a tenant, blocks it (visitor sees unavailable) and unblocks it", async () => {
    const { page } = w;
    await onFailureShot(page, "operator", async () => {
      await page.goto(`${base}/ops/login`);
      await page.fill("input[name=email]", OPS_EMAIL);
      await page.fill("input[name=password]", PASSWORD);
      await page.click("form button[type=submit]");
      await page.waitForURL(new RegExp(`${base}/ops/my`));
      await page.locator("nav.cab-nav a[data-section=platform]").click();
      await page.waitForURL(`${base}/ops/my/platform`);
      await page.fill("form.platform-search input[name=q]", target.slug);
      await page.click("form.platform-search button[type=submit]");
      const row = page.locator("tr", { has: page.locator(`[data-tenant="${target.slug}"]`) });
      // The search replaces the first page (every tenant) with the one match.
      await expect.poll(() => page.locator(".platform-tenants tbody tr").count()).toBe(1);
      await row.waitFor();
      expect(await row.textContent()).toContain(target.email);
      await row.locator("button[data-action=block]").click();
      await page.locator(`[data-status="${target.slug}"]`, { hasText: "Blocked" }).waitFor();
      await page.locator(".platform-audit code", { hasText: "tenant.block" }).waitFor();
      await shot(page, "operator-console");

      await scriptReply("operator-blocked", { reply: "This must never be shown." });
      await ask("[[script:operator-blocked]] Hello?");
      expect(await lastAnswer().getAttribute("data-state")).toBe("error");
      expect(await lastAnswer().textContent()).toContain("not available right now");
      expect(await lastAnswer().textContent()).not.toContain("never be shown");

      await page.goto(`${base}/ops/my/platform`);
      await page.fill("form.platform-search input[name=q]", target.slug);
      await page.click("form.platform-search button[type=submit]");
      await row.locator("button[data-action=unblock]").click();
      await page.locator(`[data-status="${target.slug}"]`, { hasText: "Active" }).waitFor();
      await page.locator(".platform-audit code", { hasText: "tenant.unblock" }).waitFor();

      await scriptReply("operator-back", { reply: "Back in business." });
      await ask("[[script:operator-back]] Hello again?");
      expect(await lastAnswer().getAttribute("data-state")).toBe("done");
      expect(await lastAnswer().textContent()).toContain("Back in business.");
    });
  });

  it("shows no console to another tenant's owner", async () => {
    const other = await openPage(browser);
    await signIn(other.page, target.tenantId, target.token);
    await other.page.goto(`${base}/${target.slug}/my/dialogs`);
    await other.page.locator("nav.cab-nav a[data-section=dialogs]").waitFor();
    expect(await other.page.locator("nav.cab-nav a[data-section=platform]").count()).toBe(0);
    await other.context.close();
  });
});
