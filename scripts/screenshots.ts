/**
 * `npm run screenshots`: pictures of CIP for the README, from the demo cabinet of a fresh stack (the
 * browser tests' `npm run dev`, test/browser/stack.ts, on a throwaway database; dev.ts fills the demo).
 * Drives Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) with playwright-core and writes
 * docs/screenshots/{onboarding,setup-chat,prompt,dialogs,usage,chat,widget}.png at 1200x800.
 */
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { startStack } from "../test/browser/stack.ts";
import { freePort } from "./lib/free-port.ts";

const OUT = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));
const VIEWPORT = { width: 1200, height: 800 };

const lastAnswer = (page: Page) => page.locator(".msg-assistant:not(.msg-greeting)").last();

/** Sends a chat message (page or frame) and waits until its answer is complete. */
async function send(page: Page, text: string, frame?: string): Promise<void> {
  const scope = frame ? page.frameLocator(frame) : page;
  const answers = scope.locator(".msg-assistant:not(.msg-greeting)");
  const before = await answers.count();
  await scope.locator("textarea[name=message]").fill(text);
  await scope.locator("textarea[name=message]").press("Enter");
  for (let i = 0; i < 150; i++) {
    const done =
      (await answers.count()) > before && (await answers.last().getAttribute("data-state")) === "done";
    if (done) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no complete answer to "${text}"`);
}

async function save(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300); // fonts and the last paint
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`[screenshots] docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const stack = await startStack();
  const sitePort = await freePort();
  const site = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo shop</title>` +
        `<style>body{font:16px system-ui;margin:0;background:#f8fafc}header{background:#1e293b;color:#fff;padding:1rem 2rem}` +
        `main{padding:2rem;max-width:640px}</style></head><body><header><b>Demo shop</b></header><main>` +
        `<h1>Lamps, chairs and rugs</h1><p>Any website: one script tag adds the chat bubble.</p></main>` +
        `<script src="${stack.baseUrl}/widget.js" data-tenant="demo" async></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(sitePort, "127.0.0.1", resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const base = stack.baseUrl;

    await page.goto(`${base}/demo/login`);
    await page.locator(".demo-offer button").click();
    await page.waitForURL(`${base}/demo/my`);
    await page.locator(".onboarding-steps").waitFor();
    await save(page, "onboarding");

    await page.goto(`${base}/demo/my/admin-chat`);
    await page.locator("textarea[name=message]").waitFor();
    await send(page, "Hi! Let us set up the agent.");
    await send(page, "We sell lamps, chairs and rugs made by local designers, online and in our showroom.");
    await lastAnswer(page).locator(".chunk-change").first().waitFor();
    await save(page, "setup-chat");

    for (const view of ["prompt", "dialogs", "usage"]) {
      await page.goto(`${base}/demo/my/${view}`);
      await page.locator(`nav.cab-nav a[data-section="${view}"][aria-current=page]`).waitFor();
      await page.waitForFunction(() => !document.querySelector(".view > [role=status]"));
      await save(page, view);
    }

    const visitor = await browser.newContext({ viewport: VIEWPORT });
    const chat = await visitor.newPage();
    await chat.goto(`${base}/demo/chat`);
    await chat.locator("textarea[name=message]").waitFor();
    await send(chat, "Can I see photos of your showroom?");
    await save(chat, "chat");

    const shop = await visitor.newPage();
    await shop.goto(`http://localhost:${sitePort}/`);
    await shop.locator("[data-cip-widget] button.b").click();
    const frame = "[data-cip-widget] iframe";
    await shop.frameLocator(frame).locator("textarea[name=message]").waitFor();
    await send(shop, "Do you deliver outside the city?", frame);
    await save(shop, "widget");
  } finally {
    await browser.close();
    site.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error("[screenshots] failed:", err instanceof Error ? err.message : err);
  process.exit(1);
});
