/**
 * Boots the stack once for all browser test files: `npm run dev` (see stack.ts) and a "third-party"
 * site on another origin that embeds the widget with a script tag.
 */
import { createServer, type Server } from "node:http";
import type { TestProject } from "vitest/node";
import { freePort } from "../../scripts/lib/free-port.ts";
import { startStack } from "./stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    mailApi: string;
    modelUrl: string;
    telegramApi: string;
    databaseUrl: string;
    thirdPartyUrl: string;
  }
}

/** A shop page on another origin: `/?tenant=slug` embeds the widget, `/` is the same page without it. */
function thirdPartySite(baseUrl: string): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const tenant = url.searchParams.get("tenant") ?? "";
    const tag = /^[a-z0-9-]{3,40}$/.test(tenant)
      ? `<script src="${baseUrl}/widget.js" data-tenant="${tenant}" async></script>`
      : "";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Third-party shop</title></head>` +
        `<body><h1>Third-party shop</h1><p>Products and prices.</p>${tag}</body></html>`,
    );
  });
}

/** Starts the stack and the third-party site; returns their teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const stack = await startStack();
  const port = await freePort();
  const site = thirdPartySite(stack.baseUrl);
  await new Promise<void>((resolve) => site.listen(port, "127.0.0.1", resolve));
  console.log(
    `[browser tests] stack up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${stack.baseUrl}`,
  );
  project.provide("baseUrl", stack.baseUrl);
  project.provide("mailApi", stack.mailApi);
  project.provide("modelUrl", stack.modelUrl);
  project.provide("telegramApi", stack.telegramApi);
  project.provide("databaseUrl", stack.databaseUrl);
  // "localhost" vs "127.0.0.1" (and another port): a different origin, as a customer's site would be.
  project.provide("thirdPartyUrl", `http://localhost:${port}`);
  return async () => {
    site.closeAllConnections();
    await new Promise<void>((resolve) => site.close(() => resolve()));
    await stack.stop();
  };
}
