/**
 * Human takeover across two browsers: a visitor chats on the tenant's chat page, the owner takes the
 * dialog over in the cabinet and replies; the visitor's page shows the operator's reply without a
 * reload, the visitor's next message gets no AI answer (and reaches the owner's page live), and after
 * the owner hands the dialog back the assistant answers again.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CLIENT_IP, createOwner, type Owner, scriptReply, signIn } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let visitor: Watched;
let operator: Watched;
let owner: Owner;
const run = Date.now().toString(36);
const answers = (page: Page) => page.locator(".msg-assistant:not(.msg-greeting)");

async function send(page: Page, text: string): Promise<void> {
  await page.fill("textarea[name=message]", text);
  await page.keyboard.press("Enter");
}

async function modelRequests(script: string): Promise<unknown[]> {
  return (await (await fetch(`${inject("modelUrl")}/__requests?script=${script}`)).json()) as unknown[];
}

beforeAll(async () => {
  browser = await launch();
  owner = await createOwner("takeover");
  visitor = await openPage(browser);
  operator = await openPage(browser);
  for (const w of [visitor, operator]) await w.context.setExtraHTTPHeaders({ "cf-connecting-ip": CLIENT_IP });
  await signIn(operator.page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

describe("human takeover", () => {
  it("the owner takes over and replies; the visitor sees it live and the model stays silent", async () => {
    const v = visitor.page;
    const o = operator.page;
    await onFailureShot(v, "takeover-visitor", async () => {
      await scriptReply(`hello-${run}`, { reply: "Happy to help with your order." });
      await v.goto(`${base}/${owner.slug}/chat`);
      await v.locator("textarea[name=message]").waitFor();
      await send(v, `[[script:hello-${run}]] Where is my order?`);
      await expect.poll(() => answers(v).last().getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      const dialogId = await v.evaluate(
        (key) => JSON.parse(localStorage.getItem(key) ?? "{}").dialogId as string,
        `cip:${owner.tenantId}:chat`,
      );
      expect(dialogId).toMatch(/^[0-9a-f-]{36}$/);
      // Marks this page load: a reload would lose it.
      await v.evaluate(() => {
        (window as unknown as { __sameLoad: boolean }).__sameLoad = true;
      });

      await onFailureShot(o, "takeover-operator", async () => {
        await o.goto(`${base}/${owner.slug}/my/dialogs/${dialogId}`);
        await o.locator(".takeover[data-taken-over=false]").waitFor();
        await o.click(".takeover button[data-action=takeover]");
        await o.locator(".takeover[data-taken-over=true]").waitFor();
        await v.locator(".conv-operator:not([hidden])").waitFor({ timeout: 15_000 });

        await o.fill(".operator-reply textarea[name=text]", "Hi, this is Anna: your parcel left today.");
        await o.click(".operator-reply button[type=submit]");
        await o.locator(".operator-reply .form-status.ok").waitFor();
        expect(await o.locator(".operator-reply .form-status").textContent()).toContain("Delivered");
        await o.locator(".dialog-log .msg-operator", { hasText: "your parcel left today" }).waitFor();
      });

      const reply = v.locator(".msg-operator", { hasText: "Hi, this is Anna: your parcel left today." });
      await reply.waitFor({ timeout: 15_000 });
      expect(await reply.locator(".msg-author").textContent()).toContain("Operator");
      expect(await v.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad)).toBe(true);
      await shot(v, "takeover-visitor-sees-operator");

      // The visitor answers: the owner sees it live, the model is not asked.
      await scriptReply(`silent-${run}`, { reply: "THE MODEL MUST NOT ANSWER" });
      await send(v, `[[script:silent-${run}]] Thank you, Anna!`);
      await v.locator(".msg-user", { hasText: "Thank you, Anna!" }).waitFor();
      await o.locator(".dialog-log .msg-user", { hasText: "Thank you, Anna!" }).waitFor({ timeout: 15_000 });
      await expect.poll(() => v.locator("textarea[name=message]").isEnabled()).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(await answers(v).count()).toBe(1);
      expect(await v.locator("body").textContent()).not.toContain("THE MODEL MUST NOT ANSWER");
      expect(await modelRequests(`silent-${run}`)).toEqual([]);
      await shot(o, "takeover-cabinet", true);

      // Handed back: the banner goes and the assistant answers again.
      await o.click(".takeover button[data-action=release]");
      await o.locator(".takeover[data-taken-over=false]").waitFor();
      await v.locator(".conv-operator[hidden]").waitFor({ state: "attached", timeout: 15_000 });
      await scriptReply(`back-${run}`, { reply: "The assistant is back." });
      await send(v, `[[script:back-${run}]] One more question`);
      await v.locator(".msg-assistant", { hasText: "The assistant is back." }).waitFor({ timeout: 30_000 });

      // A reload keeps the operator's reply once.
      await v.reload();
      await v.locator(".msg-assistant", { hasText: "The assistant is back." }).waitFor();
      await new Promise((r) => setTimeout(r, 500));
      expect(await v.locator(".msg-operator").count()).toBe(1);
    });
    expect(visitor.errors).toEqual([]);
    expect(operator.errors).toEqual([]);
  });
});
