/**
 * Starter questions and the visitor's language: chips in the chat page and the widget before the first
 * message (a click sends the question and gets an answer), and the chat UI in the browser's language
 * (ru or en) unless the tenant pins one.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner, scriptReply, signIn } from "./accounts.ts";
import { launch, onFailureShot, shot } from "./browser.ts";

const base = inject("baseUrl");
const site = inject("thirdPartyUrl");
let browser: Browser;
let owner: Owner;
const STARTERS = ["How much is delivery?", "What are your opening hours?"];

/** A page in a fresh context whose browser speaks `locale`, with its page errors recorded. */
async function pageIn(locale: string) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors, close: () => context.close() };
}

const setLanguage = (o: Owner, chat_language: string) =>
  apiCall(`/tenants/${o.tenantId}/me/embed/settings`, {
    method: "PUT",
    token: o.token,
    body: JSON.stringify({ allowed_origins: [], chat_language }),
  });

beforeAll(async () => {
  browser = await launch();
  owner = await createOwner("starters", "en");
  await apiCall(`/tenants/${owner.tenantId}/me/starters`, {
    method: "PUT",
    token: owner.token,
    body: JSON.stringify({ starters: STARTERS }),
  });
  // Visitors see the published starters only (docs/cabinet.md "Draft and publish").
  await apiCall(`/tenants/${owner.tenantId}/me/prompt/publish`, { method: "POST", token: owner.token });
});
afterAll(async () => {
  await browser?.close();
});

describe("starter questions", () => {
  it("shows chips on the chat page; a click sends the question, gets an answer and the chips go", async () => {
    const { page, errors, close } = await pageIn("en-US");
    await onFailureShot(page, "starters-chat", async () => {
      await page.goto(`${base}/${owner.slug}/chat`);
      const chips = page.locator(".starters .starter-chip");
      await chips.first().waitFor();
      expect(await chips.allTextContents()).toEqual(STARTERS);
      await shot(page, "starters-chat");
      await chips.nth(1).click();
      await page.locator(".msg-user", { hasText: STARTERS[1] }).waitFor();
      const answer = page.locator(".msg-assistant:not(.msg-greeting)").last();
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(await answer.textContent()).toContain(STARTERS[1]);
      expect(await page.locator(".starters").count()).toBe(0);
      // The conversation goes on after a reload: no chips then.
      await page.reload();
      expect(await page.locator(".starters").count()).toBe(0);
      expect(errors).toEqual([]);
    });
    await close();
  });

  it("shows chips in the widget on another site; a click gets an answer", async () => {
    const { page, errors, close } = await pageIn("en-US");
    await onFailureShot(page, "starters-widget", async () => {
      await page.goto(`${site}/?tenant=${owner.slug}`);
      const bubble = page.locator("[data-cip-widget] button.b");
      await bubble.waitFor();
      await bubble.click();
      const frame = page.frameLocator(`[data-cip-widget] iframe[title="Shop ${owner.slug}"]`);
      const chip = frame.locator(".starter-chip", { hasText: STARTERS[0] });
      await chip.waitFor();
      await chip.click();
      const answer = frame.locator(".msg-assistant:not(.msg-greeting)").last();
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(await answer.textContent()).toContain(STARTERS[0]);
      expect(await frame.locator(".starters").count()).toBe(0);
      await shot(page, "starters-widget");
      expect(errors).toEqual([]);
    });
    await close();
  });
});

describe("the visitor's language", () => {
  it("follows the browser (ru or en, else the tenant's locale) unless the tenant pins one", async () => {
    const o = await createOwner("lang", "en");
    const check = async (locale: string) => {
      const { page, close } = await pageIn(locale);
      await page.goto(`${base}/${o.slug}/chat/embed`);
      await page.locator("textarea[name=message]").waitFor();
      const result = {
        lang: await page.evaluate(() => document.documentElement.lang),
        placeholder: await page.locator("textarea[name=message]").getAttribute("placeholder"),
      };
      await close();
      return result;
    };
    expect(await check("ru-RU")).toEqual({ lang: "ru", placeholder: "Напишите сообщение…" });
    expect(await check("en-GB")).toEqual({ lang: "en", placeholder: "Write a message…" });
    // Neither Russian nor English: the tenant's locale (en).
    expect((await check("de-DE")).lang).toBe("en");

    await setLanguage(o, "en");
    expect((await check("ru-RU")).lang).toBe("en");
    await setLanguage(o, "ru");
    expect(await check("en-US")).toEqual({ lang: "ru", placeholder: "Напишите сообщение…" });
  });

  it("labels the widget's bubble in the browser's language", async () => {
    const o = await createOwner("langw", "en");
    const { page, close } = await pageIn("ru-RU");
    await page.goto(`${site}/?tenant=${o.slug}`);
    const bubble = page.locator("[data-cip-widget] button.b");
    await bubble.waitFor();
    expect(await bubble.getAttribute("aria-label")).toBe("Открыть чат");
    await close();
  });
});

describe("the cabinet", () => {
  it("edits the starters (the preview shows them once published) and the base prompt with its history and restore", async () => {
    const o = await createOwner("cabstart", "en");
    const { page, errors, close } = await pageIn("en-US");
    await onFailureShot(page, "starters-cabinet", async () => {
      await signIn(page, o.tenantId, o.token);
      await page.goto(`${base}/${o.slug}/my/embed`);
      const form = page.locator("form[data-form=starters]");
      await form.locator("input[name=starter-1]").fill("Do you deliver?");
      await form.locator("input[name=starter-2]").fill("Where are you?");
      await form.locator("button[type=submit]").click();
      await form.locator(".form-status.ok").waitFor();
      const stored = await apiCall<{ starters: string[] }>(`/tenants/${o.tenantId}/me/starters`, {
        token: o.token,
      });
      expect(stored.starters).toEqual(["Do you deliver?", "Where are you?"]);
      // The preview is what visitors get: the starters show once the draft is published.
      await apiCall(`/tenants/${o.tenantId}/me/prompt/publish`, { method: "POST", token: o.token });
      await page.reload();
      const preview = page.frameLocator("iframe.preview-frame");
      await preview.locator(".starter-chip", { hasText: "Where are you?" }).waitFor();

      await page.goto(`${base}/${o.slug}/my/prompt`);
      const baseForm = page.locator("form[data-form=base-prompt]");
      await expect.poll(() => baseForm.locator("textarea").inputValue()).not.toBe("");
      await baseForm.locator("textarea").fill("You are Ada, the shop's assistant.");
      await baseForm.locator("button[type=submit]").click();
      await baseForm.locator(".form-status.ok").waitFor();
      await baseForm.locator("summary").click();
      await baseForm.locator("li[data-base-action=update]").waitFor();
      await baseForm.locator("[data-action=base-reset]").click();
      await baseForm.locator("li[data-base-action=reset]").waitFor();
      // Restore the owner's own text from the history.
      await baseForm.locator("li[data-base-action=update] button").click();
      await expect
        .poll(() => baseForm.locator("textarea").inputValue())
        .toBe("You are Ada, the shop's assistant.");
      const now = await apiCall<{ text: string; is_default: boolean }>(
        `/tenants/${o.tenantId}/me/prompt/base`,
        {
          token: o.token,
        },
      );
      expect(now).toMatchObject({ text: "You are Ada, the shop's assistant.", is_default: false });
      await shot(page, "base-prompt-cabinet", true);
      expect(errors).toEqual([]);
    });
    await close();
  });
});

describe("answers with tables and nested lists", () => {
  it("renders a streamed pipe table and a nested list, HTML in cells staying text", async () => {
    const id = `table-${owner.slug}`;
    await scriptReply(id, {
      reply:
        'Prices:\n\n| Plan | Price |\n|:--|--:|\n| Basic | 10 € |\n| <img src=x onerror="window.__x=1"> | <script>window.__y=1</script> |\n\n1. Order\n   - online\n   - by phone\n2. Pay',
      chunkSize: 3,
      delayMs: 5,
    });
    const { page, errors, close } = await pageIn("en-US");
    await onFailureShot(page, "answer-table", async () => {
      await page.goto(`${base}/${owner.slug}/chat`);
      await page.locator("textarea[name=message]").fill(`[[script:${id}]] prices?`);
      await page.locator("textarea[name=message]").press("Enter");
      const answer = page.locator(".msg-assistant:not(.msg-greeting)").last();
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      const table = answer.locator(".msg-body table.md-table");
      expect(await table.locator("th").allTextContents()).toEqual(["Plan", "Price"]);
      expect(await table.locator("td.md-al-right").first().textContent()).toBe("10 €");
      expect(await table.locator("tbody tr").nth(1).locator("td").first().textContent()).toContain("<img");
      expect(await answer.locator(".msg-body img, .msg-body script").count()).toBe(0);
      expect(await answer.locator(".msg-body ol > li > ul > li").allTextContents()).toEqual([
        "online",
        "by phone",
      ]);
      expect(
        await page.evaluate(() => [Reflect.get(window, "__x") ?? null, Reflect.get(window, "__y") ?? null]),
      ).toEqual([null, null]);
      await shot(page, "answer-table");
      expect(errors).toEqual([]);
    });
    await close();
  });
});
