/**
 * MCP servers in the cabinet (docs/mcp.md): a local SDK-built server is attached with a header, its tools
 * are listed with descriptions and input schemas, a tool is switched off (the API agrees), a server that
 * cannot be listed shows its last error, and a server is deleted after a confirmation.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FakeMcpServer, startFakeMcpServer } from "../../scripts/lib/fake-mcp-server.ts";
import { freePort } from "../../scripts/lib/free-port.ts";
import { apiCall, createOwner, type Owner, signIn } from "./accounts.ts";
import { launch, onFailureShot, shot } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
let owner: Owner;
let mcp: FakeMcpServer;
const errors: string[] = [];

beforeAll(async () => {
  mcp = await startFakeMcpServer({ port: await freePort() });
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  owner = await createOwner("mcp");
  await signIn(page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
  await mcp?.stop();
});

interface Listed {
  items: Array<{ name: string; tools: Array<{ name: string; enabled: boolean }>; header_names: string[] }>;
}

describe("MCP servers in the cabinet", () => {
  it("attaches a server, lists its tools, switches one off, shows a last error, deletes", async () => {
    await onFailureShot(page, "mcp", async () => {
      await page.goto(`${base}/${owner.slug}/my/mcp`);
      await page.locator(`nav.cab-nav a[data-section="mcp"][aria-current=page]`).waitFor();
      await page.locator("[data-empty=mcp]").waitFor();

      const form = page.locator("form[data-form=mcp]");
      await form.locator("[name=name]").fill("weather");
      await form.locator("[name=url]").fill(`${mcp.url}/secure/mcp`);
      await form.locator("[name=headers]").fill("Authorization: Bearer s3cret");
      await form.locator("button[type=submit]").click();
      const card = page.locator("[data-mcp-server=weather]");
      await card.waitFor();
      await card.locator("tr", { hasText: "get_weather" }).waitFor();
      expect(await card.textContent()).toContain("Weather forecast for a city");
      expect(await card.textContent()).toContain("Authorization");
      expect(await page.content()).not.toContain("s3cret");
      await card.locator("tr", { hasText: "get_weather" }).locator("summary").click();
      expect(await card.locator("tr", { hasText: "get_weather" }).locator("pre").textContent()).toContain(
        '"city"',
      );
      await shot(page, "cabinet-mcp", true);

      await card.locator("input[data-tool=echo]").uncheck();
      await page.locator(".form-status.ok", { hasText: "Saved." }).waitFor();
      const listed = await apiCall<Listed>(`/tenants/${owner.tenantId}/me/mcp-servers`, {
        headers: { authorization: `Bearer ${owner.token}` },
      });
      const tools = listed.items.find((s) => s.name === "weather")?.tools ?? [];
      expect(tools.find((t) => t.name === "echo")?.enabled).toBe(false);
      expect(tools.find((t) => t.name === "get_weather")?.enabled).toBe(true);

      // A server that refuses the listing is kept, with its last error shown.
      await form.locator("[name=name]").fill("locked");
      await form.locator("[name=url]").fill(`${mcp.url}/secure/mcp`);
      await form.locator("button[type=submit]").click();
      await page.locator("[data-mcp-server=locked] [data-last-error]").waitFor();

      page.once("dialog", (d) => void d.accept());
      await page.locator("[data-mcp-server=locked] button[data-action=delete]").click();
      await page.locator(".form-status.ok", { hasText: "Deleted" }).waitFor();
      await expect.poll(() => page.locator("[data-mcp-server=locked]").count()).toBe(0);
      expect(await page.locator("[data-mcp-server=weather]").count()).toBe(1);
      expect(errors).toEqual([]);
    });
  });
});
