/**
 * The main path through the product in a real browser: sign a tenant up -> confirm with the mailed link
 * -> sign in -> add a prompt chunk -> chat (the answer streams in token by token) -> the dialog shows
 * up in the cabinet. Screenshots of the chat (desktop and 360 px) and the cabinet go to test-results/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CLIENT_IP, linkIn, PASSWORD, uniqueSlug, waitForMail } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

let browser: Browser;
let w: Watched;
const base = inject("baseUrl");
const slug = uniqueSlug("flow");
const email = `owner@${slug}.example.com`;

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  await w.context.setExtraHTTPHeaders({ "cf-connecting-ip": CLIENT_IP });
});
afterAll(async () => {
  await browser?.close();
});

/** Records every distinct text of the newest assistant bubble while it changes. */
async function recordStreaming(page: Page): Promise<void> {
  await page.evaluate(() => {
    const states: string[] = [];
    (window as unknown as { __states: string[] }).__states = states;
    const log = document.querySelector(".conv-log");
    if (!log) throw new Error("no chat log");
    new MutationObserver(() => {
      const bodies = log.querySelectorAll(".msg-assistant:not(.msg-greeting) .msg-body");
      const text = bodies[bodies.length - 1]?.textContent ?? "";
      if (text && states[states.length - 1] !== text) states.push(text);
    }).observe(log, { childList: true, subtree: true, characterData: true });
  });
}

const lastAnswer = (page: Page) => page.locator(".msg-assistant:not(.msg-greeting)").last();

describe("sign-up to streamed chat to cabinet", () => {
  it("signs a tenant up and confirms the owner with the mailed link", async () => {
    const { page } = w;
    await onFailureShot(page, "signup", async () => {
      await page.goto(`${base}/signup`);
      await page.fill("input[name=slug]", slug);
      await page.fill("input[name=name]", "Flow Test Shop");
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", "short");
      await page.selectOption("select[name=locale]", "en");
      await page.click("form button[type=submit]");
      // Client-side check mirrors the API: 8..256 characters.
      await expect.poll(() => page.locator("input[name=password][aria-invalid=true]").count()).toBe(1);
      await page.fill("input[name=password]", PASSWORD);
      await page.click("form button[type=submit]");
      await page.locator(".success").waitFor();
      await shot(page, "signup-done", true);
      const link = linkIn(await waitForMail(email), "/confirm?token=");
      expect(link.startsWith(`${base}/${slug}/confirm?token=`)).toBe(true);
      await page.goto(link);
      await page.locator(".success").waitFor();
      expect(await page.locator(".success").textContent()).toContain(email);
      expect(page.url()).not.toContain("token=");
      await page.goto(link);
      await page.locator(".success", { hasText: "already used" }).waitFor();
    });
  });

  it("signs in and adds a prompt chunk (deep link survives a reload)", async () => {
    const { page } = w;
    await onFailureShot(page, "login-chunk", async () => {
      await page.click("text=Go to sign in");
      await page.waitForURL(`${base}/${slug}/login`);
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", "wrong password 1");
      await page.click("form button[type=submit]");
      await page.locator(".form-status.error").waitFor();
      await page.setViewportSize({ width: 360, height: 740 });
      await shot(page, "login-error-360", true);
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(await page.locator(".form-status.error").textContent()).toMatch(/password|e-mail/i);
      await page.fill("input[name=password]", PASSWORD);
      await page.click("form button[type=submit]");
      await page.waitForURL(`${base}/${slug}/my`);
      await page.locator("nav.cab-nav a[data-section=prompt]").click();
      await page.waitForURL(`${base}/${slug}/my/prompt`);
      const form = page.locator("form[data-chunk=new]");
      await form.locator("textarea[name=question]").fill("What are the opening hours?");
      await form.locator("textarea[name=text]").fill("Every day from 9 to 18, Sundays from 10 to 16.");
      expect(await form.locator(".counter").first().textContent()).toBe("27 / 1000");
      await form.locator("button[type=submit]").click();
      await page.locator("form.chunk[data-chunk]:not([data-chunk=new])").first().waitFor();
      await page.reload();
      await expect
        .poll(() =>
          page.locator("form.chunk:not([data-chunk=new]) textarea[name=question]").first().inputValue(),
        )
        .toBe("What are the opening hours?");
      await shot(page, "cabinet-prompt", true);
    });
  });

  it("streams the chat answer token by token and keeps the conversation across a reload", async () => {
    const { page } = w;
    await onFailureShot(page, "chat", async () => {
      await page.goto(`${base}/${slug}/chat`);
      await page.locator("textarea[name=message]").waitFor();
      await recordStreaming(page);
      await page.fill("textarea[name=message]", "Hello from the flow test");
      await page.keyboard.press("Enter");
      await expect.poll(() => lastAnswer(page).getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      const answer = (await lastAnswer(page).locator(".msg-body").textContent()) ?? "";
      expect(answer).toContain("[offline stand-in model]");
      expect(answer).toContain("Hello from the flow test");
      const states = await page.evaluate(() => (window as unknown as { __states: string[] }).__states);
      const partial = states.filter(
        (s) => s.length < answer.length && s.slice(0, 10) === answer.slice(0, 10),
      );
      expect(partial.length).toBeGreaterThanOrEqual(2);
      const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(":chat")));
      expect(stored).toHaveLength(1);
      await shot(page, "chat-desktop");
      await page.setViewportSize({ width: 360, height: 740 });
      await shot(page, "chat-360");
      await page.setViewportSize({ width: 1280, height: 800 });

      const dialogBefore = await page.evaluate(
        (key) => JSON.parse(localStorage.getItem(key) ?? "{}").dialogId,
        stored[0] ?? "",
      );
      await page.reload();
      await page.locator(".msg-user", { hasText: "Hello from the flow test" }).waitFor();
      await page.fill("textarea[name=message]", "Second message");
      await page.keyboard.press("Enter");
      await expect.poll(() => lastAnswer(page).getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      const dialogAfter = await page.evaluate(
        (key) => JSON.parse(localStorage.getItem(key) ?? "{}").dialogId,
        stored[0] ?? "",
      );
      expect(dialogAfter).toBe(dialogBefore);
      expect(w.errors).toEqual([]);
    });
  });

  it("shows the dialog in the cabinet", async () => {
    const { page } = w;
    await onFailureShot(page, "cabinet-dialogs", async () => {
      await page.goto(`${base}/${slug}/my/dialogs`);
      await expect
        .poll(
          async () => {
            const n = await page.locator(".dialog-item").count();
            if (n === 0) await page.reload();
            return n;
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBeGreaterThan(0);
      await shot(page, "cabinet-dialogs");
      await page.locator(".dialog-item a.card-link").first().click();
      await page.locator(".dialog-log .msg-user", { hasText: "Hello from the flow test" }).waitFor();
      await page
        .locator(".dialog-log .msg-assistant", { hasText: "[offline stand-in model]" })
        .first()
        .waitFor();
      await page.setViewportSize({ width: 360, height: 740 });
      await shot(page, "cabinet-dialog-360", true);
    });
  });

  it("registers a member with client-side checks", async () => {
    const { page } = w;
    await onFailureShot(page, "register", async () => {
      await page.goto(`${base}/${slug}/register`);
      await page.fill("input[name=email]", "not-an-email");
      await page.fill("input[name=password]", PASSWORD);
      await page.click("form button[type=submit]");
      await page.locator("input[name=email][aria-invalid=true]").waitFor();
      expect(await page.locator(".field-error").first().textContent()).toMatch(/e-mail/i);
      await page.fill("input[name=email]", `member@${slug}.example.com`);
      await page.click("form button[type=submit]");
      await page.locator(".success", { hasText: `member@${slug}.example.com` }).waitFor();
    });
  });

  it("resets the password with the mailed link", async () => {
    const { page } = w;
    await onFailureShot(page, "reset", async () => {
      await page.goto(`${base}/${slug}/login`);
      await page.click("text=Forgot your password?");
      await page.fill("input[name=email]", email);
      await page.click("form button[type=submit]");
      await page.locator(".success").waitFor();
      const link = linkIn(await waitForMail(email, "/reset-password?token="), "/reset-password?token=");
      await page.goto(link);
      await page.locator("input[name=repeat]").waitFor();
      expect(page.url()).not.toContain("token=");
      await page.fill("input[name=password]", "a new password 2");
      await page.fill("input[name=repeat]", "a new password 3");
      await page.click("form button[type=submit]");
      await page.locator("input[name=repeat][aria-invalid=true]").waitFor();
      await page.fill("input[name=repeat]", "a new password 2");
      await page.click("form button[type=submit]");
      await page.locator(".success").waitFor();
      await page.click("text=Go to sign in");
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", "a new password 2");
      await page.click("form button[type=submit]");
      await page.waitForURL(`${base}/${slug}/my`);
    });
  });
});
