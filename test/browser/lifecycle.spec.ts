/**
 * Conversation lifecycle on a third-party page: the host page API (postMessage commands to the widget,
 * events back to the page's own origin), `cip:identify` storing a lead, the message events of a chat,
 * and the tenant's conversation policy across reloads (keep resumes, new_on_reload starts anew).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const site = inject("thirdPartyUrl");
let browser: Browser;

interface CipEvent {
  type: string;
  dialog_id?: string;
  text?: string;
  status?: string;
  ok?: boolean;
  stored?: number;
}

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A page whose top window records every `cip:*` message posted to it (from before any script runs). */
async function hostPage(): Promise<Watched> {
  const w = await openPage(browser);
  await w.context.addInitScript(() => {
    if (window.top !== window) return;
    const seen: unknown[] = [];
    (window as unknown as { __cip: unknown[] }).__cip = seen;
    window.addEventListener("message", (e) => {
      const data = e.data as { type?: unknown } | null;
      if (e.source === window && typeof data?.type === "string" && data.type.startsWith("cip:"))
        seen.push(data);
    });
  });
  return w;
}

const events = (page: Page) => page.evaluate(() => (window as unknown as { __cip: CipEvent[] }).__cip);
const command = (page: Page, data: Record<string, unknown>) =>
  page.evaluate((d) => window.postMessage(d, location.origin), data);

/** Waits for the `nth` (1-based) event of `type` and returns it. */
async function nextEvent(page: Page, type: string, nth = 1): Promise<CipEvent> {
  let found: CipEvent | undefined;
  await expect
    .poll(
      async () => {
        found = (await events(page)).filter((e) => e.type === type)[nth - 1];
        return found !== undefined;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return found as CipEvent;
}

async function say(
  page: Page,
  owner: Owner,
  text: string,
  nth: number,
): Promise<{ sent: CipEvent; got: CipEvent }> {
  const frame = page.frameLocator(`[data-cip-widget] iframe[title="Shop ${owner.slug}"]`);
  await frame.locator("textarea[name=message]").fill(text);
  await frame.locator("textarea[name=message]").press("Enter");
  return {
    sent: await nextEvent(page, "cip:message-sent", nth),
    got: await nextEvent(page, "cip:message-received", nth),
  };
}

async function setPolicy(owner: Owner, policy: string): Promise<void> {
  await apiCall(`/tenants/${owner.tenantId}/me/embed/settings`, {
    method: "PUT",
    token: owner.token,
    body: JSON.stringify({ allowed_origins: [], conversation: { policy } }),
  });
}

describe("host page API", () => {
  it("opens and closes on commands from the page itself only, and says so", async () => {
    const owner = await createOwner("hostapi");
    const w = await hostPage();
    const { page } = w;
    await onFailureShot(page, "host-open-close", async () => {
      await page.goto(`${site}/?tenant=${owner.slug}`);
      await nextEvent(page, "cip:ready");
      const panel = page.locator("[data-cip-widget] .p");
      await command(page, { type: "cip:open" });
      await nextEvent(page, "cip:opened");
      expect(await panel.isVisible()).toBe(true);
      await command(page, { type: "cip:close" });
      await nextEvent(page, "cip:closed");
      expect(await panel.isHidden()).toBe(true);
      // Another frame on the page (same origin, even) cannot drive the widget.
      await page.evaluate(() => {
        const f = document.createElement("iframe");
        f.srcdoc = '<script>parent.postMessage({ type: "cip:open" }, "*")</script>';
        document.body.appendChild(f);
      });
      await page.waitForTimeout(500);
      expect(await panel.isHidden()).toBe(true);
      expect((await events(page)).filter((e) => e.type === "cip:opened")).toHaveLength(1);
      expect(w.errors).toEqual([]);
    });
    await w.context.close();
  });

  it("stores cip:identify as a lead and reports sent and received messages", async () => {
    const owner = await createOwner("identify");
    const w = await hostPage();
    const { page } = w;
    await onFailureShot(page, "host-identify", async () => {
      await page.goto(`${site}/?tenant=${owner.slug}`);
      await nextEvent(page, "cip:ready");
      // Before the chat was ever opened: the widget loads it in the background to deliver the command.
      await command(page, { type: "cip:identify", name: "Ann Lee", email: "Ann@Shop.Example" });
      expect(await nextEvent(page, "cip:identified")).toMatchObject({ ok: true, stored: 1 });
      const leads = async () =>
        (
          await apiCall<{
            items: Array<{ kind: string; value: string; raw: string; dialog_id: string | null }>;
          }>(`/tenants/${owner.tenantId}/me/leads`, { token: owner.token })
        ).items;
      expect(await leads()).toEqual([
        expect.objectContaining({
          kind: "email",
          value: "ann@shop.example",
          raw: "Ann Lee <ann@shop.example>",
          dialog_id: null,
        }),
      ]);

      await command(page, { type: "cip:open" });
      await nextEvent(page, "cip:opened");
      const { sent, got } = await say(page, owner, "Do you ship to Berlin?", 1);
      expect(sent).toMatchObject({ text: "Do you ship to Berlin?", dialog_id: expect.any(String) });
      expect(got).toMatchObject({ dialog_id: sent.dialog_id, status: "complete" });
      expect(got.text).toContain("Do you ship to Berlin?");
      await shot(page, "host-api-chat");

      // Now the visitor has a dialog: the next lead is linked to it.
      await command(page, { type: "cip:identify", phone: "+44 20 7946 0958" });
      expect(await nextEvent(page, "cip:identified", 2)).toMatchObject({ ok: true, stored: 1 });
      expect((await leads()).find((l) => l.kind === "phone")).toMatchObject({
        value: "+442079460958",
        dialog_id: sent.dialog_id,
      });
      expect(w.errors).toEqual([]);
    });
    await w.context.close();
  });
});

describe("conversation policy", () => {
  it("keep resumes the dialog after a reload; new_on_reload, cip:new-conversation and an idle reset_after_hours start new ones", async () => {
    const owner = await createOwner("policy");
    const w = await hostPage();
    const { page } = w;
    const frame = () => page.frameLocator(`[data-cip-widget] iframe[title="Shop ${owner.slug}"]`);
    const open = async () => {
      await nextEvent(page, "cip:ready");
      await command(page, { type: "cip:open" });
      await nextEvent(page, "cip:opened");
      await frame().locator("textarea[name=message]").waitFor();
    };
    await onFailureShot(page, "policy", async () => {
      await page.goto(`${site}/?tenant=${owner.slug}`);
      await open();
      const first = (await say(page, owner, "First visit", 1)).sent.dialog_id;

      await page.reload();
      await open();
      await expect.poll(() => frame().locator(".msg-user").count()).toBe(1);
      const kept = (await say(page, owner, "Back again", 1)).sent.dialog_id;
      expect(kept).toBe(first);

      await setPolicy(owner, "new_on_reload");
      await page.reload();
      await open();
      expect(await frame().locator(".msg-user").count()).toBe(0);
      const fresh = (await say(page, owner, "A new visit", 1)).sent.dialog_id;
      expect(fresh).not.toBe(first);

      await command(page, { type: "cip:new-conversation" });
      await expect.poll(() => frame().locator(".msg-user").count()).toBe(0);
      const another = (await say(page, owner, "Start over", 2)).sent.dialog_id;
      expect(another).not.toBe(fresh);
      expect(another).not.toBe(first);

      // This browser refuses storage to the third-party iframe: the widget kept the chat on the shop's page.
      const held = await page.evaluate(
        (key) => JSON.parse(localStorage.getItem(key) ?? "{}"),
        `cip:widget:${owner.slug}`,
      );
      expect(Object.keys(held).sort()).toEqual(
        ["active", "chat", "user"].map((k) => `cip:${owner.tenantId}:${k}`),
      );

      // reset_after_hours: a recent conversation continues; one idle for longer than N hours does not.
      await apiCall(`/tenants/${owner.tenantId}/me/embed/settings`, {
        method: "PUT",
        token: owner.token,
        body: JSON.stringify({
          allowed_origins: [],
          conversation: { policy: "reset_after_hours", hours: 1 },
        }),
      });
      await page.reload();
      await open();
      await expect.poll(() => frame().locator(".msg-user").count()).toBe(1);
      expect((await say(page, owner, "Still here", 1)).sent.dialog_id).toBe(another);
      await page.evaluate(
        ([key, active]) => {
          const state = JSON.parse(localStorage.getItem(key ?? "") ?? "{}") as Record<string, string>;
          state[active ?? ""] = JSON.stringify(Date.now() - 2 * 3_600_000);
          localStorage.setItem(key ?? "", JSON.stringify(state));
        },
        [`cip:widget:${owner.slug}`, `cip:${owner.tenantId}:active`],
      );
      await page.reload();
      await open();
      expect(await frame().locator(".msg-user").count()).toBe(0);
      const afterIdle = (await say(page, owner, "Hello after a break", 1)).sent.dialog_id;
      expect([first, fresh, another]).not.toContain(afterIdle);
      expect(w.errors).toEqual([]);
    });
    await w.context.close();
  });
});
