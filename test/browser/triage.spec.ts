/**
 * Dialog triage in the cabinet: the owner sees a visitor's new dialog bold with a dot, opens it (no longer
 * unread), archives it (it leaves the list and shows under "Archived") and deletes another after the
 * confirmation.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner, signIn } from "./accounts.ts";
import { launch, onFailureShot, shot } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
let owner: Owner;
const errors: string[] = [];

/** A visitor's message through the JSON chat; waits until the cabinet's list has the dialog. */
async function visitorDialog(text: string): Promise<string> {
  const reply = await apiCall<{ dialog_id: string }>(`/tenants/${owner.tenantId}/chat/message`, {
    method: "POST",
    body: JSON.stringify({ user_id: `v-${crypto.randomUUID()}`, message: text }),
  });
  const listed = async () =>
    (
      await apiCall<{ items: Array<{ id: string }> }>(`/tenants/${owner.tenantId}/me/dialogs`, {
        token: owner.token,
      })
    ).items.some((d) => d.id === reply.dialog_id);
  await expect.poll(listed, { timeout: 10_000 }).toBe(true);
  return reply.dialog_id;
}

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  owner = await createOwner("triage");
  await signIn(page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

describe("dialog triage in the cabinet", () => {
  it("shows unread dialogs, marks one read by opening it, archives it and deletes another", async () => {
    await onFailureShot(page, "triage", async () => {
      const kept = await visitorDialog("Do you deliver on Sundays? Mail me: sunday@example.org");
      const doomed = await visitorDialog("Please forget this conversation");
      await page.goto(`${base}/${owner.slug}/my/dialogs`);
      const item = (id: string) => page.locator(`li.dialog-item[data-dialog="${id}"]`);
      await item(kept).waitFor();
      expect(await item(kept).getAttribute("data-unread")).toBe("true");
      expect(await item(kept).locator(".unread-dot").count()).toBe(1);
      expect(
        await item(kept).evaluate(
          (el) => getComputedStyle(el.querySelector(".card-link") as Element).fontWeight,
        ),
      ).toBe("700");
      await shot(page, "cabinet-triage-unread");

      // Opening it marks it read.
      await item(kept).locator("a.card-link").click();
      await page.locator(".dialog-log .msg-user", { hasText: "Do you deliver on Sundays?" }).waitFor();
      await page.goto(`${base}/${owner.slug}/my/dialogs`);
      await item(kept).waitFor();
      await expect.poll(() => item(kept).getAttribute("data-unread")).toBe("false");
      expect(await item(kept).locator(".unread-dot").count()).toBe(0);
      expect(await item(doomed).getAttribute("data-unread")).toBe("true");

      // "Unread only" leaves the read one out.
      await page.check("#filter-unread");
      await expect.poll(() => item(kept).count()).toBe(0);
      await item(doomed).waitFor();
      await page.uncheck("#filter-unread");
      await item(kept).waitFor();

      // Archive: it leaves the list and shows under "Archived".
      await item(kept).locator("button[data-action=archive]").click();
      await page.locator(".form-status.ok", { hasText: "Archived." }).waitFor();
      expect(await item(kept).count()).toBe(0);
      await page.check("#filter-archived");
      await item(kept).waitFor();
      expect(await item(doomed).count()).toBe(0);
      expect(new URL(page.url()).searchParams.get("archived")).toBe("true");
      await page.uncheck("#filter-archived");
      await item(doomed).waitFor();

      // Delete (after the confirmation): gone from the list and from the API.
      page.once("dialog", (d) => void d.accept());
      await item(doomed).locator("button[data-action=delete]").click();
      await page.locator(".form-status.ok", { hasText: "Dialog deleted." }).waitFor();
      expect(await item(doomed).count()).toBe(0);
      await expect(
        apiCall(`/tenants/${owner.tenantId}/me/dialogs/${doomed}`, { token: owner.token }),
      ).rejects.toThrow(/404/);
      await page.reload();
      await page.locator("#filter-archived").waitFor();
      expect(await item(doomed).count()).toBe(0);
      expect(await item(kept).count()).toBe(0);

      // The leads view's range of days.
      await page.goto(`${base}/${owner.slug}/my/leads`);
      const lead = page.locator("td strong", { hasText: "sunday@example.org" });
      await lead.waitFor();
      await page.fill("#leads-from", "2099-01-01");
      await expect.poll(() => lead.count()).toBe(0);
      await page.fill("#leads-from", "");
      await lead.waitFor();
      expect(errors).toEqual([]);
    });
  });
});
