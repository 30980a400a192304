/**
 * Protected embed in a real browser: a third-party page (another origin) embeds the widget of a tenant
 * that protects its embed; the chat inside works (the embed page trades its pass for a widget token and
 * sends it), while a plain fetch without a token, from Node or from the page itself, is refused. With
 * Turnstile (Cloudflare's test keys, served by the local stand-in) the first message carries the check's
 * token and later ones none; a failing test key shows the failure with Retry.
 */
import type { Browser, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner, signIn } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot } from "./browser.ts";

const base = inject("baseUrl");
const site = inject("thirdPartyUrl");
const DUMMY = "XXXX.DUMMY.TOKEN.XXXX";
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function protect(owner: Owner, extra: Record<string, unknown> = {}): Promise<void> {
  await apiCall(`/tenants/${owner.tenantId}/me/embed/settings`, {
    method: "PUT",
    token: owner.token,
    body: JSON.stringify({ allowed_origins: [site], protected_embed: true, ...extra }),
  });
}

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

function record(requests: Seen[]) {
  return (r: Request) =>
    requests.push({ url: r.url(), method: r.method(), headers: r.headers(), body: r.postData() });
}

const chatPosts = (requests: Seen[], tenantId: string) =>
  requests.filter((r) => r.method === "POST" && r.url === `${base}/api/v1/tenants/${tenantId}/chat`);

describe("protected embed on a third-party page", () => {
  it("chats through the widget with a widget token; requests without one are refused", async () => {
    const owner = await createOwner("guarded");
    await protect(owner);
    const w = await openPage(browser);
    const seen: Seen[] = [];
    w.context.on("request", record(seen));
    const { page } = w;
    await onFailureShot(page, "protected-embed", async () => {
      await page.goto(`${site}/?tenant=${owner.slug}`);
      await page.locator("[data-cip-widget] button.b").click();
      const frame = page.frameLocator(`[data-cip-widget] iframe[title="Shop ${owner.slug}"]`);
      const box = frame.locator("textarea[name=message]");
      await box.fill("Hello from a protected shop");
      await box.press("Enter");
      const answer = frame.locator(".msg-assistant:not(.msg-greeting)").last();
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(await answer.textContent()).toContain("Hello from a protected shop");
      await shot(page, "protected-embed-widget");

      // The embed page traded its pass (bound to this shop) for a token and sent it with the message.
      const issued = seen.find((r) => r.url.endsWith(`/tenants/${owner.tenantId}/chat/widget-token`));
      expect(JSON.parse(issued?.body ?? "{}").pass).toMatch(/^cep1\./);
      const [post] = chatPosts(seen, owner.tenantId);
      const token = post?.headers["x-widget-token"] ?? "";
      expect(token).toMatch(/^cwt1\./);
      const userId = JSON.parse(post?.body ?? "{}").user_id as string;

      // A script without a token: refused, from Node and from the shop page itself (CORS lets it read why).
      const url = `${base}/api/v1/tenants/${owner.tenantId}/chat`;
      const plain = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user_id: "a-script", message: "Hi" }),
      });
      expect(plain.status).toBe(401);
      expect(((await plain.json()) as { error: { code: string } }).error.code).toBe("widget_token_required");
      const fromPage = await page.evaluate(async (chatUrl) => {
        const res = await fetch(chatUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ user_id: "a-page-script", message: "Hi" }),
        });
        return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
      }, url);
      expect(fromPage).toEqual({ status: 401, code: "widget_token_required" });
      // The widget's token does not work for another visitor either.
      const stolen = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-widget-token": token },
        body: JSON.stringify({ user_id: `${userId}-other`, message: "Hi" }),
      });
      expect(stolen.status).toBe(403);
      expect(w.errors).toEqual([]);
    });
    await w.context.close();
  });

  it("runs Turnstile (test keys) before the first message only", async () => {
    const owner = await createOwner("humans");
    await protect(owner, {
      turnstile: { site_key: "1x00000000000000000000AA", secret: "1x0000000000000000000000000000000AA" },
    });
    const w = await openPage(browser);
    const seen: Seen[] = [];
    w.context.on("request", record(seen));
    const { page } = w;
    await onFailureShot(page, "turnstile-pass", async () => {
      await page.goto(`${site}/?tenant=${owner.slug}`);
      await page.locator("[data-cip-widget] button.b").click();
      const frame = page.frameLocator(`[data-cip-widget] iframe[title="Shop ${owner.slug}"]`);
      // The check starts as soon as the chat opens (a new conversation is coming) and passes.
      await frame.locator('.cf-turnstile-stand-in[data-state="solved"]').waitFor({ timeout: 15_000 });
      await shot(page, "turnstile-solved");
      const box = frame.locator("textarea[name=message]");
      for (const [n, text] of ["First message", "Second message"].entries()) {
        await box.fill(text);
        await box.press("Enter");
        const answer = frame.locator(".msg-assistant:not(.msg-greeting)").nth(n);
        await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      }
      const bodies = chatPosts(seen, owner.tenantId).map((r) => JSON.parse(r.body ?? "{}"));
      expect(bodies).toHaveLength(2);
      expect(bodies[0]).toMatchObject({ message: "First message", turnstile_token: DUMMY });
      expect(bodies[0].dialog_id).toBeUndefined();
      // The page says it starts a dialog: without either, the API would continue the visitor's latest one.
      expect(bodies[0].new_dialog).toBe(true);
      expect(bodies[1].new_dialog).toBeUndefined();
      expect(bodies[1]).toMatchObject({ message: "Second message", dialog_id: expect.any(String) });
      expect(bodies[1].turnstile_token).toBeUndefined();
      expect(w.errors).toEqual([]);
    });
    await w.context.close();
  });

  it("is switched on in the cabinet's embed view (the secret is never shown again)", async () => {
    const owner = await createOwner("switches");
    const w = await openPage(browser);
    const { page } = w;
    await signIn(page, owner.tenantId, owner.token);
    await onFailureShot(page, "cabinet-protection", async () => {
      await page.goto(`${base}/${owner.slug}/my/embed`);
      const form = page.locator("form.embed-protection");
      await form.waitFor();
      await form.getByLabel("Protected embed").check();
      await form.getByLabel("Cloudflare Turnstile site key").fill("1x00000000000000000000AA");
      await form.getByLabel("Turnstile secret key").fill("1x0000000000000000000000000000000AA");
      await form.getByLabel("Returning visitors").selectOption("reset_after_hours");
      await form.getByLabel("Hours without messages").fill("12");
      await form.getByRole("button", { name: "Save" }).click();
      await form.locator(".form-status.ok").waitFor();
      expect(await form.getByLabel("Turnstile secret key").inputValue()).toBe("");
      await form.getByText("A secret is stored").waitFor();
      await page.locator("#embed-host-api").waitFor();
      expect(await page.locator("#embed-host-api").inputValue()).toContain(
        'window.postMessage({ type: "cip:open" }',
      );
      await shot(page, "cabinet-embed-protection", true);
      const saved = await apiCall<Record<string, unknown>>(`/tenants/${owner.tenantId}/me/embed`, {
        token: owner.token,
      });
      expect(saved).toMatchObject({
        protected_embed: true,
        turnstile: { site_key: "1x00000000000000000000AA", has_secret: true },
        conversation: { policy: "reset_after_hours", hours: 12 },
      });
      expect(JSON.stringify(saved)).not.toContain("1x0000000000000000000000000000000AA");
      // The owner's live preview (a page of CIP's own) still chats under protection and Turnstile.
      const preview = page.frameLocator("iframe.preview-frame");
      await preview.locator("textarea[name=message]").fill("Preview check");
      await preview.locator("textarea[name=message]").press("Enter");
      const answer = preview.locator(".msg-assistant:not(.msg-greeting)").last();
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(w.errors).toEqual([]);
    });
    await w.context.close();
  });

  it("says so, with Retry, when the check fails (the always-failing test key)", async () => {
    const owner = await createOwner("robots");
    await protect(owner, {
      turnstile: { site_key: "2x00000000000000000000AB", secret: "2x0000000000000000000000000000000AA" },
    });
    const w = await openPage(browser);
    const { page } = w;
    await onFailureShot(page, "turnstile-fail", async () => {
      await page.goto(`${site}/?tenant=${owner.slug}`);
      await page.locator("[data-cip-widget] button.b").click();
      const frame = page.frameLocator(`[data-cip-widget] iframe[title="Shop ${owner.slug}"]`);
      const box = frame.locator("textarea[name=message]");
      await box.fill("Am I human?");
      await box.press("Enter");
      const answer = frame.locator(".msg-assistant:not(.msg-greeting)").last();
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("error");
      expect(await answer.textContent()).toContain("The human check did not pass");
      expect(await answer.locator("button", { hasText: "Retry" }).count()).toBe(1);
      await shot(page, "turnstile-failed");
    });
    await w.context.close();
  });
});
