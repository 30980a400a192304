/**
 * The first hour of a new owner (issue 20's "Done means"): sign up, confirm by the mailed link, sign in
 * and land on the checklist; the setup chat (the offline stand-in's interview) teaches a chunk and the
 * step ticks; publishing it from the prompt view ticks "publish"; a visitor's answer uses that chunk and
 * "try your chat" ticks; the widget on a third-party
 * site ticks "put it on your site"; the list hides and comes back from the menu. Then the demo: the
 * demo login page under `npm run dev` offers the demo cabinet, and its views have content.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CLIENT_IP, linkIn, PASSWORD, uniqueSlug, waitForMail } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

let browser: Browser;
let w: Watched;
const base = inject("baseUrl");
const site = inject("thirdPartyUrl");
const slug = uniqueSlug("onb");
const email = `owner@${slug}.example.com`;

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  await w.context.setExtraHTTPHeaders({ "cf-connecting-ip": CLIENT_IP });
});
afterAll(async () => {
  await browser?.close();
});

const lastAnswer = (page: Page) => page.locator(".msg-assistant:not(.msg-greeting)").last();
const step = (page: Page, id: string) => page.locator(`.onboarding-step[data-step=${id}]`);

async function send(page: Page, text: string): Promise<void> {
  await page.fill("textarea[name=message]", text);
  await page.keyboard.press("Enter");
  await expect.poll(() => lastAnswer(page).getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
}

/** Opens the checklist from the menu and waits for it to be read. */
async function openChecklist(page: Page): Promise<void> {
  await page.goto(`${base}/${slug}/my/start`);
  await page.locator(".onboarding-steps").waitFor();
}

describe("a new owner's first hour", () => {
  it("lands on the checklist after sign-up, confirmation and sign-in", async () => {
    const { page } = w;
    await onFailureShot(page, "onboarding-landing", async () => {
      await page.goto(`${base}/signup`);
      await page.fill("input[name=slug]", slug);
      await page.fill("input[name=name]", "Lisbon Ceramics");
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", PASSWORD);
      await page.selectOption("select[name=locale]", "en");
      await page.click("form button[type=submit]");
      await page.locator(".success").waitFor();
      await page.goto(linkIn(await waitForMail(email), "/confirm?token="));
      await page.locator(".success").waitFor();
      await page.goto(`${base}/${slug}/login`);
      expect(await page.locator(".demo-offer").count()).toBe(0);
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", PASSWORD);
      await page.click("form button[type=submit]");
      await page.waitForURL(`${base}/${slug}/my`);
      await page.locator(".onboarding-steps").waitFor();
      expect(await page.locator("nav.cab-nav a[data-section=start]").getAttribute("aria-current")).toBe(
        "page",
      );
      const steps = await page
        .locator(".onboarding-step")
        .evaluateAll((els) =>
          els.map((e) => `${e.getAttribute("data-step")}:${e.getAttribute("data-done")}`),
        );
      expect(steps).toEqual([
        "teach:false",
        "publish:false",
        "try_chat:false",
        "embed:false",
        "telegram:false",
        "invite:false",
      ]);
      expect(await page.locator(".onboarding-progress").textContent()).toBe("0 of 6 done");
      // The embed step carries the script tag and a live preview; the invite step the sign-up link.
      expect(await step(page, "embed").locator("textarea").inputValue()).toContain(`data-tenant="${slug}"`);
      await step(page, "embed").locator("iframe.preview-frame").waitFor();
      expect(await step(page, "invite").locator("input").inputValue()).toBe(`${base}/${slug}/register`);
      await shot(page, "onboarding-fresh", true);
    });
  });

  it("teaches a chunk in the setup chat, and the first step ticks", async () => {
    const { page } = w;
    await onFailureShot(page, "onboarding-teach", async () => {
      await step(page, "teach").locator("a", { hasText: "Open the setup chat" }).click();
      await page.waitForURL(`${base}/${slug}/my/admin-chat`);
      // The setup chat opens with its own first question (docs/chat-engine.md "The setup chat opens itself").
      await page.locator(".msg-opening", { hasText: "What does your business do" }).waitFor();
      await send(page, "We make handmade ceramic mugs and teapots in our Lisbon studio.");
      await lastAnswer(page).locator(".chunk-change", { hasText: "What does the company do?" }).waitFor();
      await openChecklist(page);
      expect(await step(page, "teach").getAttribute("data-done")).toBe("true");
      expect(await step(page, "publish").getAttribute("data-done")).toBe("false");
      expect(await step(page, "try_chat").getAttribute("data-done")).toBe("false");
    });
  });

  it("publishes the draft from the prompt view, and the publish step ticks", async () => {
    const { page } = w;
    await onFailureShot(page, "onboarding-publish", async () => {
      await step(page, "publish").locator("a", { hasText: "Open the prompt" }).click();
      await page.waitForURL(`${base}/${slug}/my/prompt`);
      const bar = page.locator("section.draft-bar");
      // A new tenant never published: the taught chunk waits in the draft.
      await expect.poll(() => bar.getAttribute("data-draft")).toBe("never");
      await bar.locator("[data-action=publish]").click();
      await bar.locator(".form-status.ok").waitFor();
      await expect.poll(() => bar.getAttribute("data-draft")).toBe("clean");
      await openChecklist(page);
      expect(await step(page, "publish").getAttribute("data-done")).toBe("true");
    });
  });

  it("answers a visitor from that chunk, and 'try your chat' ticks", async () => {
    const { page } = w;
    await onFailureShot(page, "onboarding-try", async () => {
      const visitor = await w.context.newPage();
      await visitor.goto(`${base}/${slug}/chat`);
      await visitor.locator("textarea[name=message]").waitFor();
      await send(visitor, "What does the company make? Ceramic mugs?");
      expect(await lastAnswer(visitor).textContent()).toContain("handmade ceramic mugs and teapots");
      await visitor.close();
      await openChecklist(page);
      expect(await step(page, "try_chat").getAttribute("data-done")).toBe("true");
      expect(await page.locator(".onboarding-progress").textContent()).toBe("3 of 6 done");
    });
  });

  it("ticks 'put it on your site' once the widget opens on another site", async () => {
    const { page } = w;
    await onFailureShot(page, "onboarding-embed", async () => {
      // A context of its own: the extra client-address header would make the widget's cross-site calls
      // preflighted, which a real visitor's browser never does.
      const other = await openPage(browser);
      const shop = other.page;
      await shop.goto(`${site}/?tenant=${slug}`);
      const bubble = shop.locator("[data-cip-widget] button.b");
      await bubble.waitFor();
      await bubble.click();
      await shop.frameLocator("[data-cip-widget] iframe").locator("textarea[name=message]").waitFor();
      await other.context.close();
      await openChecklist(page);
      expect(await step(page, "embed").getAttribute("data-done")).toBe("true");
      await shot(page, "onboarding-progress", true);
    });
  });

  it("hides the checklist (the cabinet then opens on Dialogs) and brings it back from the menu", async () => {
    const { page } = w;
    await onFailureShot(page, "onboarding-hide", async () => {
      await page.click(".onboarding button[data-action=hide]");
      await page.waitForURL(`${base}/${slug}/my/dialogs`);
      await page.goto(`${base}/${slug}/my`);
      await page.locator("nav.cab-nav a[data-section=dialogs][aria-current=page]").waitFor();
      await page.locator("nav.cab-nav a[data-section=start]").click();
      await page.locator(".onboarding button[data-action=show]").click();
      await page.locator(".onboarding button[data-action=hide]").waitFor();
      await page.goto(`${base}/${slug}/my`);
      await page.locator("nav.cab-nav a[data-section=start][aria-current=page]").waitFor();
      expect(w.errors).toEqual([]);
    });
  });
});

describe("the demo cabinet under npm run dev", () => {
  it("is offered on the demo login page and every view has something to show", async () => {
    const demo = await openPage(browser);
    const { page } = demo;
    await demo.context.setExtraHTTPHeaders({ "cf-connecting-ip": CLIENT_IP });
    await onFailureShot(page, "demo-cabinet", async () => {
      await page.goto(`${base}/demo/my`);
      await page.waitForURL(/\/demo\/login/);
      await page.locator(".demo-offer button[data-action=demo-login]").click();
      await page.waitForURL(`${base}/demo/my`);
      await page.locator(".onboarding-steps").waitFor();
      expect(await step(page, "teach").getAttribute("data-done")).toBe("true");
      expect(await step(page, "publish").getAttribute("data-done")).toBe("true");
      expect(await step(page, "try_chat").getAttribute("data-done")).toBe("true");
      const rows = async (path: string, selector: string) => {
        await page.goto(`${base}/demo/my/${path}`);
        await page.locator(`nav.cab-nav a[data-section="${path}"][aria-current=page]`).waitFor();
        await expect.poll(() => page.locator(".view > [role=status]").count()).toBe(0);
        await page.locator(selector).first().waitFor();
        return page.locator(selector).count();
      };
      expect(await rows("dialogs", ".view .dialog-item")).toBeGreaterThanOrEqual(4);
      expect(await rows("leads", ".view tbody tr")).toBeGreaterThanOrEqual(2);
      expect(await rows("prompt", "form.chunk:not([data-chunk=new])")).toBeGreaterThanOrEqual(7);
      expect(await rows("galleries", ".view img")).toBeGreaterThanOrEqual(3);
      expect(await rows("documents", ".view ul.cards > li.card")).toBeGreaterThanOrEqual(1);
      expect(await page.locator(".view li.card", { hasText: "Delivery and returns" }).count()).toBe(1);
      expect(demo.errors).toEqual([]);
    });
    await demo.context.close();
  });
});
