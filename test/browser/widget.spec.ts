/**
 * The widget on a third-party page (another origin): one global, the look from the tenant's settings,
 * the bubble opens the embed iframe, the chat works inside it, Escape and the API close it. Also the
 * size budget and the caching headers of pages, hashed assets and the widget.
 */
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
const site = inject("thirdPartyUrl");
let browser: Browser;
let w: Watched;
let owner: Owner;

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  owner = await createOwner("widget");
  await apiCall(`/tenants/${owner.tenantId}/me/embed/settings`, {
    method: "PUT",
    token: owner.token,
    body: JSON.stringify({
      allowed_origins: [],
      widget: { color: "#16a34a", position: "left", greeting: "Need help with your order?" },
    }),
  });
});
afterAll(async () => {
  await browser?.close();
});

const globals = () => Object.getOwnPropertyNames(window);

describe("widget on another origin", () => {
  it("adds one global and a bubble with the tenant's look, which opens a working chat", async () => {
    const { page } = w;
    await onFailureShot(page, "widget", async () => {
      await page.goto(`${site}/`);
      const before = new Set(await page.evaluate(globals));
      await page.goto(`${site}/?tenant=${owner.slug}`);
      const bubble = page.locator("[data-cip-widget] button.b");
      await bubble.waitFor();
      const added = (await page.evaluate(globals)).filter((k) => !before.has(k));
      expect(added).toEqual(["CIPWidget"]);
      expect(await bubble.getAttribute("aria-label")).toBe("Open chat");
      expect(await bubble.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe("rgb(22, 163, 74)");
      expect(await bubble.evaluate((b) => b.getBoundingClientRect().left)).toBeLessThan(100);
      await page.locator("[data-cip-widget] .g", { hasText: "Need help with your order?" }).waitFor();

      await bubble.click();
      expect(await bubble.getAttribute("aria-expanded")).toBe("true");
      const frame = page.frameLocator(`[data-cip-widget] iframe[title="Shop ${owner.slug}"]`);
      await frame.locator("textarea[name=message]").fill("Hi from a shop page");
      await frame.locator("textarea[name=message]").press("Enter");
      const answer = frame.locator(".msg-assistant:not(.msg-greeting)").last();
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(await answer.textContent()).toContain("Hi from a shop page");
      await shot(page, "widget-open");

      await frame.locator("textarea[name=message]").press("Escape");
      await expect.poll(() => page.locator("[data-cip-widget] .p").isHidden()).toBe(true);
      await page.evaluate(() => (window as unknown as { CIPWidget: { open(): void } }).CIPWidget.open());
      await expect.poll(() => page.locator("[data-cip-widget] .p").isVisible()).toBe(true);
      await page.evaluate(() => (window as unknown as { CIPWidget: { close(): void } }).CIPWidget.close());
      await expect.poll(() => page.locator("[data-cip-widget] .p").isHidden()).toBe(true);
      expect(w.errors).toEqual([]);
    });
  });

  it("stays under 15 KB gzipped", async () => {
    const res = await fetch(`${base}/widget.js`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(gzipSync(bytes).byteLength).toBeLessThan(15 * 1024);
  });
});

describe("caching and framing headers", () => {
  it("revalidates HTML, keeps hashed assets forever, caches the widget briefly", async () => {
    const html = await fetch(`${base}/${owner.slug}/chat`, { headers: { "sec-fetch-mode": "navigate" } });
    expect(html.headers.get("cache-control")).toBe("no-cache");
    expect(html.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const asset = /\/assets\/app\.[A-Z0-9]+\.js/.exec(await html.text())?.[0];
    expect(asset).toBeTruthy();
    const js = await fetch(`${base}${asset}`);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const widget = await fetch(`${base}/widget.js`);
    expect(widget.headers.get("cache-control")).toMatch(/^public, max-age=300/);
    const config = await fetch(`${base}/api/v1/tenants/by-slug/${owner.slug}/widget`, {
      headers: { origin: site },
    });
    expect(config.headers.get("access-control-allow-origin")).toBe("*");
    expect(config.headers.get("cache-control")).toMatch(/max-age=30\b/);
  });

  it("lets the embed page be framed by the tenant's allowed origins only", async () => {
    const open = await fetch(`${base}/${owner.slug}/chat/embed`);
    expect(open.headers.get("content-security-policy")).toContain("frame-ancestors *");
    expect(open.headers.get("x-frame-options")).toBeNull();
    await apiCall(`/tenants/${owner.tenantId}/me/embed/settings`, {
      method: "PUT",
      token: owner.token,
      body: JSON.stringify({ allowed_origins: ["https://shop.example"] }),
    });
    const closed = await fetch(`${base}/${owner.slug}/chat/embed`);
    expect(closed.headers.get("content-security-policy")).toMatch(
      /frame-ancestors 'self' .*https:\/\/shop\.example/,
    );
    expect(await closed.text()).toContain('id="cip-tenant"');
  });
});
