/**
 * The usage view: the owner sets a daily cap and prices in the cabinet, a visitor chats until the cap
 * stops the chat (with a clear message), and the owner sees the day's tokens, cost and the chart, with the
 * same numbers in the table.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, CLIENT_IP, createOwner, type Owner, scriptReply, signIn } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let w: Watched;
let owner: Owner;

async function openUsage(page: Page): Promise<void> {
  await page.goto(`${base}/${owner.slug}/my/usage`);
  await page.locator(`nav.cab-nav a[data-section="usage"][aria-current=page]`).waitFor();
  await page.locator("svg.usage-chart").waitFor();
}

const lastAnswer = (page: Page) => page.locator(".msg-assistant:not(.msg-greeting)").last();

async function send(page: Page, text: string): Promise<void> {
  await page.fill("textarea[name=message]", text);
  await page.keyboard.press("Enter");
}

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  await w.context.setExtraHTTPHeaders({ "cf-connecting-ip": CLIENT_IP });
  owner = await createOwner("usage");
  await signIn(w.page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

describe("usage view", () => {
  it("sets a cap, stops the chat at it, and charts the day's usage", async () => {
    const { page } = w;
    await onFailureShot(page, "usage", async () => {
      await openUsage(page);
      expect(await page.locator(".usage-card[data-card=today] .usage-figure").textContent()).toBe(
        "0 tokens, no cap",
      );
      await page.getByLabel("Tokens per day", { exact: true }).fill("1000");
      await page.getByLabel("Price per million prompt tokens", { exact: true }).fill("2");
      await page.getByLabel("Price per million completion tokens", { exact: true }).fill("10");
      await page.getByLabel("Currency", { exact: true }).fill("usd");
      await page.locator(".usage-budget button[type=submit]").click();
      await page.locator(".usage-budget .form-status.ok").waitFor();
      const budget = await apiCall<Record<string, unknown>>(`/tenants/${owner.tenantId}/me/budget`, {
        token: owner.token,
      });
      expect(budget).toMatchObject({ daily_tokens: 1000, input_price_per_million: 2, currency: "USD" });
      await page.locator(".usage-card[data-card=today] meter").waitFor();

      // A visitor chats: the first answer uses 1500 tokens, so the next message meets the cap.
      await scriptReply("usage-spend", {
        reply: "Here you are.",
        usage: { prompt_tokens: 1200, completion_tokens: 300 },
      });
      await scriptReply("usage-blocked", { reply: "This must never be shown." });
      await page.goto(`${base}/${owner.slug}/chat`);
      await page.locator("textarea[name=message]").waitFor();
      await send(page, "[[script:usage-spend]] What do you sell?");
      await expect.poll(() => lastAnswer(page).getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      await send(page, "[[script:usage-blocked]] And the prices?");
      await expect.poll(() => lastAnswer(page).getAttribute("data-state"), { timeout: 30_000 }).toBe("error");
      expect(await lastAnswer(page).locator("[role=alert]").textContent()).toContain("usage limit");
      expect(await page.locator(".msg-user", { hasText: "And the prices?" }).count()).toBe(1);
      await shot(page, "usage-chat-paused");

      await expect
        .poll(
          async () => {
            await openUsage(page);
            return page.locator(".usage-card[data-card=today] .usage-figure").textContent();
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBe("1,500 of 1,000 tokens");
      expect(await page.locator(".usage-card[data-card=today]").getAttribute("class")).toContain("reached");
      // 1200 × 2 + 300 × 10 = 5400 millionths of a dollar.
      expect(await page.locator(".usage-card[data-card=cost] .usage-figure").textContent()).toBe("$0.0054");
      const today = new Date().toISOString().slice(0, 10);
      const bar = page.locator(`svg.usage-chart g.bar[data-day="${today}"]`);
      expect(await bar.locator("rect").count()).toBe(2);
      expect(Number(await bar.locator("rect.prompt").getAttribute("height"))).toBeGreaterThan(0);
      expect(await bar.locator("title").textContent()).toContain("1,500");
      expect(await page.locator("svg.usage-chart line.cap").count()).toBe(1);
      expect(await page.locator("svg.usage-chart").getAttribute("aria-labelledby")).toBeTruthy();

      await page.locator(".usage-table summary").click();
      const row = page.locator(".usage-table tr", { hasText: today });
      expect(await row.locator("td").allTextContents()).toEqual([
        today,
        "1,200",
        "0",
        "300",
        "1,500",
        "1",
        "$0.0054",
      ]);
      expect(await page.locator("td a", { hasText: /^[0-9a-f]{8}$/ }).count()).toBe(1);
      await shot(page, "usage-view", true);
      expect(w.errors).toEqual([]);
    });
  });
});
