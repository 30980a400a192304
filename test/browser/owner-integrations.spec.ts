/**
 * The owner's integrations in the cabinet: a webhook is added (its secret shown once, with a copy
 * button), a test event reaches a receiver on this machine signed with that secret, its attempt is listed,
 * and the hook is deleted after a confirmation; the profile's lead alerts switch saves at once, and the
 * Telegram link button gives a one-time t.me link once the tenant's bot is connected.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../scripts/lib/free-port.ts";
import {
  startWebhookReceiver,
  verifyCipSignature,
  type WebhookReceiver,
} from "../../scripts/lib/webhook-receiver.ts";
import { apiCall, createOwner, type Owner, signIn } from "./accounts.ts";
import { launch, onFailureShot, shot } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
let owner: Owner;
let receiver: WebhookReceiver;
const errors: string[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver({ port: await freePort() });
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  owner = await createOwner("hooks");
  await signIn(page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
});

describe("owner integrations in the cabinet", () => {
  it("adds a webhook, shows its secret once, sends a signed test, lists the attempt, deletes it", async () => {
    await onFailureShot(page, "webhooks", async () => {
      const path = `/hook/${crypto.randomUUID()}`;
      await page.goto(`${base}/${owner.slug}/my/webhooks`);
      await page.locator(`nav.cab-nav a[data-section="webhooks"][aria-current=page]`).waitFor();
      await page.locator("[data-empty=webhooks]").waitFor();
      await page.fill("#hook-url", `${receiver.url}${path}`);
      await page.check("#hook-event-message-created");
      await page.locator("form[data-form=webhook] button[type=submit]").click();
      const secretBox = page.locator("[data-secret] code.secret");
      await secretBox.waitFor();
      const secret = (await secretBox.textContent()) ?? "";
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      await page.locator("[data-secret] button", { hasText: "Copy" }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      const row = page.locator("tr", { hasText: path });
      await row.waitFor();
      expect(await row.textContent()).toContain("lead.created, message.created");
      await shot(page, "cabinet-webhooks", true);

      await row.locator("button[data-action=test]").click();
      await page.locator(".form-status.ok", { hasText: "Test delivered: HTTP 200." }).waitFor();
      const attempts = page.locator("[data-deliveries] tbody tr");
      await attempts.first().waitFor();
      expect(await attempts.first().textContent()).toContain("ping");
      expect(await attempts.first().textContent()).toContain("HTTP 200");
      const got = receiver.received.filter((r) => r.path === path);
      expect(got).toHaveLength(1);
      expect(got[0]?.event).toBe("ping");
      // The receiver checks the signature with the secret the page showed, as docs/webhooks.md says.
      expect(verifyCipSignature(secret, got[0]?.signature, got[0]?.body ?? "")).toBe(true);

      // Shown once: a reload lists the hook without any secret.
      await page.reload();
      await page.locator("tr", { hasText: path }).waitFor();
      expect(await page.locator("[data-secret]").count()).toBe(0);
      expect(await page.content()).not.toContain(secret);

      page.once("dialog", (d) => void d.accept());
      await page.locator("tr", { hasText: path }).locator("button[data-action=delete]").click();
      await page.locator("[data-empty=webhooks]").waitFor();
      expect(errors).toEqual([]);
    });
  });

  it("saves the lead alerts switch and offers a Telegram link once a bot is connected", async () => {
    await onFailureShot(page, "lead-alerts", async () => {
      await page.goto(`${base}/${owner.slug}/my/profile`);
      const box = page.locator("#notify-leads");
      await box.waitFor();
      expect(await box.isChecked()).toBe(true);
      await box.uncheck();
      await page.locator(".form-status.ok", { hasText: "Saved." }).waitFor();
      const profile = await apiCall<{ notify_leads: boolean }>(`/tenants/${owner.tenantId}/me/profile`, {
        token: owner.token,
      });
      expect(profile.notify_leads).toBe(false);

      // No bot yet: the server says what to do.
      await page.locator("[data-telegram-link] button", { hasText: "Link my Telegram" }).click();
      await page
        .locator(".form-status.error", { hasText: "Connect the tenant's Telegram bot first." })
        .waitFor();

      const botId = 100_000_000 + Math.floor(Math.random() * 800_000_000);
      await apiCall(`/tenants/${owner.tenantId}/me/telegram`, {
        method: "PUT",
        token: owner.token,
        body: JSON.stringify({ bot_token: `${botId}:${"A".repeat(35)}` }),
      });
      await page.reload();
      await page.locator("[data-telegram-link] button", { hasText: "Link my Telegram" }).click();
      const link = page.locator("a[data-owner-link]");
      await link.waitFor();
      expect(await link.getAttribute("href")).toMatch(
        new RegExp(`^https://t\\.me/cip_${botId}_bot\\?start=owner_[A-Za-z0-9_-]{32}$`),
      );
      await shot(page, "cabinet-lead-alerts");
      expect(errors).toEqual([]);
    });
  });
});
