/**
 * The cabinet's sections, owner and member: every section opens on a deep link without errors, uploads
 * show progress, leads export to CSV, and a member sees only its own parts.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, linkIn, type Owner, PASSWORD, signIn, waitForMail } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let w: Watched;
let owner: Owner;

async function openSection(page: Page, path: string): Promise<void> {
  await page.goto(`${base}/${owner.slug}/my/${path}`);
  await page.locator(`nav.cab-nav a[data-section="${path}"][aria-current=page]`).waitFor();
  await expect.poll(() => page.locator(".view > [role=status]").count()).toBe(0);
  expect(await page.locator(".view .notice-inline").count()).toBe(0);
}

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  owner = await createOwner("cabinet");
  await signIn(w.page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

describe("cabinet sections (owner)", () => {
  it("opens every section on a deep link", async () => {
    const { page } = w;
    for (const path of [
      "dialogs",
      "prompt",
      "admin-chat",
      "embed",
      "leads",
      "model",
      "saved",
      "files",
      "galleries",
      "documents",
      "telegram",
      "api-keys",
      "members",
      "profile",
    ]) {
      await onFailureShot(page, `section-${path}`, () => openSection(page, path));
      await shot(page, `cabinet-${path}`, true);
    }
    expect(w.errors).toEqual([]);
  });

  it("uploads a file and a document with progress, and finds the document", async () => {
    const { page } = w;
    await onFailureShot(page, "uploads", async () => {
      await openSection(page, "files");
      await page.setInputFiles(".uploader input[type=file]", {
        name: "price-list.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("Prices\n".repeat(5000)),
      });
      await page.locator("td", { hasText: "price-list.txt" }).waitFor();
      expect(await page.locator(".progress progress").first().getAttribute("value")).toBe("100");
      await openSection(page, "documents");
      await page.fill("#doc-title", "Delivery terms");
      await page.setInputFiles(".uploader input[type=file]", {
        name: "delivery.md",
        mimeType: "text/markdown",
        buffer: Buffer.from("# Delivery\nWe deliver parcels by courier within the city."),
      });
      await page.locator(".card strong", { hasText: "Delivery terms" }).waitFor();
      // The cabinet uploads for review: the extracted text opens first; index it as extracted.
      await page.getByRole("button", { name: "Index as is" }).click();
      await page.locator("li.card[data-status=ready]").waitFor();
      await page.fill("#doc-search", "courier");
      await page.keyboard.press("Enter");
      await page.locator(".card", { hasText: "courier" }).last().waitFor();
      await shot(page, "cabinet-documents-filled", true);
    });
  });

  it("lists a lead from the chat and exports the leads as CSV", async () => {
    const { page } = w;
    await onFailureShot(page, "leads", async () => {
      await page.goto(`${base}/${owner.slug}/chat`);
      await page.fill("textarea[name=message]", "Call me back: buyer@example.org, +7 999 123-45-67");
      await page.keyboard.press("Enter");
      await expect
        .poll(() => page.locator(".msg-assistant:not(.msg-greeting)").last().getAttribute("data-state"), {
          timeout: 30_000,
        })
        .toBe("done");
      await expect
        .poll(
          async () => {
            await openSection(page, "leads");
            return page.locator("td strong", { hasText: "buyer@example.org" }).count();
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBe(1);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("button", { hasText: "Export CSV" }).click(),
      ]);
      const csv = readFileSync((await download.path()) ?? "", "utf8");
      // The server's export (docs/cabinet.md): RFC 4180, quoted only where needed.
      expect(csv).toContain("id,kind,value,raw,dialog_id,created_at\r\n");
      expect(csv).toMatch(/,email,buyer@example\.org,/);
      await shot(page, "cabinet-leads-filled", true);
    });
  });

  it("saves embed settings and reloads the live preview", async () => {
    const { page } = w;
    await onFailureShot(page, "embed", async () => {
      await openSection(page, "embed");
      expect(await page.locator("input.code").first().inputValue()).toContain(`/${owner.slug}/chat`);
      await page.locator(".embed-grid textarea[name=greeting]").fill("Hello there!");
      await page.locator(".embed-grid form:has(textarea[name=greeting]) button[type=submit]").click();
      await page.locator(".form-status.ok").waitFor();
      // The preview iframe loads lazily: bring it into view so it loads whatever the viewport.
      await page.locator("iframe.preview-frame").scrollIntoViewIfNeeded();
      const frame = page.frameLocator("iframe.preview-frame");
      await frame.locator(".msg-greeting", { hasText: "Hello there!" }).waitFor();
      await shot(page, "cabinet-embed-filled", true);
    });
  });
});

describe("cabinet (member)", () => {
  it("shows a member only dialogs, saved items and the profile", async () => {
    const email = `member@${owner.slug}.example.com`;
    await apiCall(`/tenants/${owner.tenantId}/register`, {
      method: "POST",
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const token =
      new URL(linkIn(await waitForMail(email), "/confirm?token=")).searchParams.get("token") ?? "";
    await apiCall(`/tenants/by-slug/${owner.slug}/confirm?token=${encodeURIComponent(token)}`);
    const login = await apiCall<{ access_token: string }>(`/tenants/${owner.tenantId}/login`, {
      method: "POST",
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const m = await openPage(browser, { width: 390, height: 844 });
    await signIn(m.page, owner.tenantId, login.access_token);
    await onFailureShot(m.page, "member", async () => {
      await m.page.goto(`${base}/${owner.slug}/my`);
      await m.page.locator("nav.cab-nav a").first().waitFor();
      const sections = await m.page
        .locator("nav.cab-nav a")
        .evaluateAll((as) => as.map((a) => a.getAttribute("data-section")));
      expect(sections).toEqual(["dialogs", "saved", "profile"]);
      await m.page.goto(`${base}/${owner.slug}/my/prompt`);
      await m.page.locator(".notice-inline").waitFor();
      await shot(m.page, "cabinet-member-360", true);
    });
    await m.context.close();
  });
});
