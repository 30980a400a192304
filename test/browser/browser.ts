/** Chromium for the browser tests: Debian's binary (never a downloaded one), pages, screenshots. */
import { mkdirSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const RESULTS = "test-results/browser";

/** Launches headless Chromium with the flags of DESIGN.md. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** What a page did that a test may want to assert on. */
export interface Watched {
  page: Page;
  context: BrowserContext;
  dialogs: string[];
  errors: string[];
  requests: string[];
}

/** A fresh context and page that records dialogs (and dismisses them), page errors and requests. */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Watched> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const watched: Watched = { page, context, dialogs: [], errors: [], requests: [] };
  page.on("dialog", (d) => {
    watched.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  page.on("pageerror", (e) => watched.errors.push(e.message));
  context.on("request", (r) => watched.requests.push(r.url()));
  return watched;
}

/** Saves a PNG screenshot under test-results/browser/. */
export async function shot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const path = `${RESULTS}/${name}.png`;
  await page.screenshot({ path, fullPage });
  return path;
}

/** Runs `fn`; on failure saves a screenshot named after the test, then rethrows. */
export async function onFailureShot<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    await shot(page, `FAILED-${name.replace(/[^\w-]+/g, "-")}`, true).catch(() => {});
    throw err;
  }
}
