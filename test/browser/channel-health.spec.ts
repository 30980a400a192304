/**
 * Channel health in the cabinet: the Telegram view shows the webhook's state (Telegram's pending count
 * and last error, the last update received) and re-registers it in one click; the members view lists
 * account mail that was not delivered and sends it again with a working link.
 */
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, linkIn, type Owner, PASSWORD, signIn, waitForMail } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
const telegramApi = inject("telegramApi");
let browser: Browser;
let w: Watched;
let owner: Owner;

/** The secrets the app gave Telegram in setWebhook, oldest first (read from the fake's call log). */
async function webhookSecrets(botToken: string): Promise<string[]> {
  const res = await fetch(`${telegramApi}/__calls?token=${encodeURIComponent(botToken)}&method=setWebhook`);
  const calls = (await res.json()) as Array<{ params: { secret_token?: string } }>;
  return calls.map((c) => c.params.secret_token ?? "");
}

/** The text parts of the mails MailDev holds for `address`, oldest first, once there are `count`. */
async function mailTexts(address: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mails = (await (await fetch(`${inject("mailApi")}/api/email`)).json()) as Array<{
      text?: string;
      to: Array<{ address: string }>;
    }>;
    const texts = mails.filter((m) => m.to.some((t) => t.address === address)).map((m) => m.text ?? "");
    if (texts.length >= count) return texts;
    if (Date.now() > deadline) throw new Error(`${texts.length} of ${count} mails to ${address}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function deliverUpdate(secret: string, updateId: number): Promise<Response> {
  return fetch(`${base}/api/v1/tenants/${owner.tenantId}/telegram/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
    body: JSON.stringify({ update_id: updateId }),
  });
}

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  owner = await createOwner("health");
  await signIn(w.page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

describe("channel health", () => {
  it("shows the Telegram webhook's state and re-registers it with one click", async () => {
    const { page } = w;
    const botToken = `${100_000_000 + Math.floor(Math.random() * 1e8)}:${"A".repeat(20)}${Date.now().toString(36)}xyzXYZ`;
    await apiCall(`/tenants/${owner.tenantId}/me/telegram`, {
      method: "PUT",
      token: owner.token,
      body: JSON.stringify({ bot_token: botToken }),
    });
    await fetch(`${telegramApi}/__webhook_info`, {
      method: "POST",
      body: JSON.stringify({
        token: botToken,
        pending_update_count: 3,
        last_error_date: Math.floor(Date.now() / 1000) - 60,
        last_error_message: "Wrong response from the webhook: 502 Bad Gateway",
      }),
    });
    const [first] = await webhookSecrets(botToken);
    expect((await deliverUpdate(first ?? "", 41)).status).toBe(200);

    await onFailureShot(page, "telegram-health", async () => {
      await page.goto(`${base}/${owner.slug}/my/telegram`);
      const health = page.locator("dl[data-health=telegram]");
      await health.waitFor();
      const text = (await health.textContent()) ?? "";
      expect(text).toContain("Updates waiting3");
      expect(text).toContain("Wrong response from the webhook: 502 Bad Gateway");
      expect(text).toContain(`/api/v1/tenants/${owner.tenantId}/telegram/webhook`);
      expect(text).not.toContain("none yet");
      expect(await health.locator(".health-bad").count()).toBe(2);
      await shot(page, "telegram-health", true);

      await page.locator("button[data-action=reregister]").click();
      await page.locator(".form-status.ok", { hasText: "registered again" }).waitFor();
    });
    const secrets = await webhookSecrets(botToken);
    expect(secrets).toHaveLength(2);
    expect(secrets[1]).not.toBe(secrets[0]);
    expect((await deliverUpdate(secrets[0] ?? "", 42)).status).toBe(401);
    expect((await deliverUpdate(secrets[1] ?? "", 43)).status).toBe(200);
    expect(w.errors).toEqual([]);
  });

  it("lists an undelivered confirmation mail and sends it again with a working link", async () => {
    const { page } = w;
    const email = `member-${Date.now().toString(36)}@${owner.slug}.example.com`;
    await apiCall(`/tenants/${owner.tenantId}/register`, {
      method: "POST",
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    await waitForMail(email, "/confirm?token=");
    // MailDev accepts every message, so the refusal a real server would give is written as the app
    // records one (src/services/mail-deliveries.ts); everything after it is the real flow.
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    try {
      await db.query(
        `insert into mail_deliveries (tenant_id, user_id, kind, to_email, status, error)
         select tenant_id, id, 'confirm', email, 'failed', '421 4.3.2 Service not available'
         from users where tenant_id = $1 and email = $2`,
        [owner.tenantId, email],
      );
    } finally {
      await db.end();
    }

    await onFailureShot(page, "mail-delivery", async () => {
      await page.goto(`${base}/${owner.slug}/my/members`);
      const row = page.locator(".mail-failures tr", { hasText: email });
      await row.waitFor();
      expect(await row.textContent()).toContain("421 4.3.2 Service not available");
      expect(await row.locator("[data-status]").getAttribute("data-status")).toBe("failed");
      await shot(page, "mail-delivery-failed", true);
      await row.locator("button[data-retry]").click();
      await page.locator(".mail-delivery .form-status.ok", { hasText: email }).waitFor();
      expect(await row.locator("[data-status]").getAttribute("data-status")).toBe("sent");
      expect(await row.locator("button[data-retry]").count()).toBe(0);
    });
    // The second mail carries a fresh link that confirms the address.
    const texts = await mailTexts(email, 2);
    const token = new URL(linkIn(texts[1] ?? "", "/confirm?token=")).searchParams.get("token") ?? "";
    const confirmed = await apiCall<{ status: string }>(
      `/tenants/by-slug/${owner.slug}/confirm?token=${encodeURIComponent(token)}`,
    );
    expect(confirmed.status).toBe("confirmed");
    expect(w.errors).toEqual([]);
  });
});
