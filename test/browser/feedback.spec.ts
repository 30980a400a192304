/**
 * Answer feedback in the browser: a visitor gets an answer on the chat page, clicks thumbs down, writes a
 * comment and sends it (the choice stays pressed, also after a reload); the owner sees the rating and the
 * comment under the answer in the cabinet, finds the dialog with the rating filter and counts it in the
 * usage view. In the widget (another origin, the embed iframe) a thumbs up works the same way.
 */
import type { Browser, FrameLocator, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CLIENT_IP, createOwner, type Owner, scriptReply, signIn } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
const site = inject("thirdPartyUrl");
let browser: Browser;
let visitor: Watched;
let cabinet: Watched;
let owner: Owner;
const run = Date.now().toString(36);
const COMMENT = "The hours are wrong: we open at nine.";

const lastAnswer = (scope: Page | FrameLocator): Locator =>
  scope.locator(".msg-assistant:not(.msg-greeting)").last();

beforeAll(async () => {
  browser = await launch();
  owner = await createOwner("feedback");
  visitor = await openPage(browser);
  cabinet = await openPage(browser);
  for (const w of [visitor, cabinet]) await w.context.setExtraHTTPHeaders({ "cf-connecting-ip": CLIENT_IP });
  await signIn(cabinet.page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

describe("answer feedback", () => {
  it("a visitor rates an answer down with a comment; the owner sees it in the cabinet", async () => {
    const v = visitor.page;
    await onFailureShot(v, "feedback-visitor", async () => {
      await scriptReply(`hours-${run}`, { reply: "We are open from ten to six." });
      await v.goto(`${base}/${owner.slug}/chat`);
      await v.locator("textarea[name=message]").waitFor();
      await v.fill("textarea[name=message]", `[[script:hours-${run}]] When are you open?`);
      await v.keyboard.press("Enter");
      const answer = lastAnswer(v);
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      // The greeting is no answer of the model: it has no thumbs.
      expect(await v.locator(".msg-greeting .msg-feedback").count()).toBe(0);
      const down = answer.locator("button.feedback-btn[data-rating=down]");
      const up = answer.locator("button.feedback-btn[data-rating=up]");
      expect(await down.getAttribute("aria-label")).toBe("Not helpful");
      expect(await down.getAttribute("aria-pressed")).toBe("false");

      await down.click();
      await expect.poll(() => down.getAttribute("aria-pressed")).toBe("true");
      expect(await up.getAttribute("aria-pressed")).toBe("false");
      const box = answer.locator(".feedback-comment textarea");
      await box.waitFor();
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      await box.fill(COMMENT);
      await answer.locator("button.feedback-send").click();
      await expect.poll(() => answer.locator(".feedback-comment").isHidden()).toBe(true);
      expect(await answer.locator(".feedback-note").textContent()).toBe("Thanks for your feedback.");
      await shot(v, "feedback-chat");

      // The choice stays visible across a reload.
      await v.reload();
      await lastAnswer(v).locator("button.feedback-btn[data-rating=down][aria-pressed=true]").waitFor();
      expect(visitor.errors).toEqual([]);
    });

    const dialogId = await v.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? "{}").dialogId as string,
      `cip:${owner.tenantId}:chat`,
    );
    expect(dialogId).toMatch(/^[0-9a-f-]{36}$/);

    const o = cabinet.page;
    await onFailureShot(o, "feedback-cabinet", async () => {
      // The dialog list filtered to answers rated down finds it.
      await o.goto(`${base}/${owner.slug}/my/dialogs?rating=down`);
      await o.locator(`li.dialog-item[data-dialog="${dialogId}"]`).waitFor();
      expect(await o.locator("#filter-rating").inputValue()).toBe("down");
      await o.selectOption("#filter-rating", "up");
      await o.locator("ul.cards li.muted").waitFor();
      expect(await o.locator(`li.dialog-item[data-dialog="${dialogId}"]`).count()).toBe(0);

      // The dialog view shows the rating and the comment under the answer.
      await o.goto(`${base}/${owner.slug}/my/dialogs/${dialogId}`);
      const rating = o.locator(".dialog-log .msg-assistant .msg-rating[data-rating=down]");
      await rating.waitFor();
      expect(await rating.textContent()).toContain("not helpful");
      expect(await rating.locator(".rating-comment").textContent()).toContain(COMMENT);
      await shot(o, "feedback-cabinet-dialog", true);

      // The usage view counts it.
      await o.goto(`${base}/${owner.slug}/my/usage`);
      const card = o.locator(".usage-card[data-card=ratings]");
      await card.waitFor();
      expect((await card.locator("[data-rating=up]").textContent())?.trim()).toBe("0");
      expect((await card.locator("[data-rating=down]").textContent())?.trim()).toBe("1");
      expect(cabinet.errors).toEqual([]);
    });
  });

  it("a visitor rates an answer up inside the widget on another origin", async () => {
    // A page of its own, as in widget.spec.ts: no extra request headers on the third-party site.
    const shop = await openPage(browser);
    const v = shop.page;
    await onFailureShot(v, "feedback-widget", async () => {
      await v.goto(`${site}/?tenant=${owner.slug}`);
      await v.locator("[data-cip-widget] button.b").click();
      const frame = v.frameLocator(`[data-cip-widget] iframe[title="Shop ${owner.slug}"]`);
      await scriptReply(`widget-${run}`, { reply: "Delivery takes two days." });
      await frame.locator("textarea[name=message]").fill(`[[script:widget-${run}]] How long is delivery?`);
      await frame.locator("textarea[name=message]").press("Enter");
      const answer = lastAnswer(frame);
      await answer.locator(".msg-body", { hasText: "Delivery takes two days." }).waitFor({ timeout: 30_000 });
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      const up = answer.locator("button.feedback-btn[data-rating=up]");
      await up.click();
      await expect.poll(() => up.getAttribute("aria-pressed")).toBe("true");
      // A thumbs up asks for no comment.
      expect(await answer.locator(".feedback-comment textarea").count()).toBe(0);
      await shot(v, "feedback-widget");
      expect(shop.errors).toEqual([]);
    });
    const usage = await fetch(`${base}/api/v1/tenants/${owner.tenantId}/me/usage`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(((await usage.json()) as { feedback: unknown }).feedback).toEqual({ up: 1, down: 1 });
  });
});
