/**
 * Model spend through the public chat (issue 16, High): per (tenant, client address) limits on messages
 * and new dialogs, checked at the edge before any dialog object or model call, whatever `user_id` a script
 * makes up; and the platform's daily token cap, which holds for a tenant that set no cap of its own.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Owner, seedOwner } from "../helpers/accounts.ts";
import { putBudget } from "../helpers/budget.ts";
import { chat, chatJson, visitor } from "../helpers/chat.ts";
import { readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";

const from = (ip: string, lang = "ru-RU") => ({ "cf-connecting-ip": ip, "accept-language": lang });

async function limits(owner: Owner, body: Record<string, unknown>): Promise<void> {
  const res = await putBudget(owner, body);
  expect(res.status, await res.clone().text()).toBe(200);
}

/** A new dialog's first message, from `ip`, each with a new made-up visitor id. */
function newDialog(owner: Owner, message: string, ip: string, lang?: string): Promise<Response> {
  return chatJson(owner.tenantId, { user_id: visitor(), message }, from(ip, lang));
}

describe("per-address chat limits", () => {
  it("count messages per tenant and address, whatever user_id is sent; refuse before any model call", async () => {
    const owner = await seedOwner();
    await limits(owner, { ip_messages_per_minute: 3, ip_new_dialogs_per_minute: 0 });
    for (let i = 0; i < 3; i++) expect((await newDialog(owner, `hi ${i}`, "203.0.113.7")).status).toBe(200);
    const tag = await script({ reply: "never" });
    const refused = await newDialog(owner, `again ${tag}`, "203.0.113.7", "en-GB,en;q=0.9");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await readError(refused)).error).toEqual({
      code: "rate_limited",
      message: "Too many messages from your address. Please wait a minute and try again.",
    });
    expect(await requestsFor(tag)).toEqual([]);
    // The SSE route is refused the same way, in Russian by default.
    const sse = await chat(owner.tenantId, { user_id: visitor(), message: "x" }, from("203.0.113.7"));
    expect(sse.status).toBe(429);
    expect((await readError(sse)).error.message).toMatch(/Слишком много сообщений/);
    // Another address, and the same address at another tenant, are not affected.
    expect((await newDialog(owner, "hello", "198.51.100.9")).status).toBe(200);
    const other = await seedOwner();
    expect((await newDialog(other, "hello", "203.0.113.7")).status).toBe(200);
  });

  it("count new dialogs apart from messages in an open dialog", async () => {
    const owner = await seedOwner();
    await limits(owner, { ip_messages_per_minute: 0, ip_new_dialogs_per_minute: 2 });
    const user = visitor();
    const first = await chatJson(owner.tenantId, { user_id: user, message: "one" }, from("192.0.2.1"));
    const { dialog_id } = (await first.json()) as { dialog_id: string };
    expect((await newDialog(owner, "two", "192.0.2.1")).status).toBe(200);
    expect((await newDialog(owner, "three", "192.0.2.1")).status).toBe(429);
    for (let i = 0; i < 4; i++) {
      const res = await chatJson(
        owner.tenantId,
        { user_id: user, message: `more ${i}`, dialog_id },
        from("192.0.2.1"),
      );
      expect(res.status).toBe(200);
    }
  });

  it("at the binding's own number, Cloudflare's Rate Limiting binding counts (60 s periods)", async () => {
    expect(env.CHAT_IP_NEW_DIALOGS).toBeDefined();
    const owner = await seedOwner();
    await limits(owner, { ip_messages_per_minute: 0, ip_new_dialogs_per_minute: 10 });
    for (let i = 0; i < 10; i++) expect((await newDialog(owner, `d${i}`, "192.0.2.50")).status).toBe(200);
    const refused = await newDialog(owner, "eleventh", "192.0.2.50");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
  });

  it("shows the limits in force, platform defaults included, and 0 switches one off", async () => {
    const owner = await seedOwner();
    await limits(owner, { ip_messages_per_minute: 0 });
    const body = (await (await putBudget(owner, { ip_messages_per_minute: 0 })).json()) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({
      ip_messages_per_minute: 0,
      ip_new_dialogs_per_minute: null,
      effective: {
        ip_messages_per_minute: 0,
        ip_new_dialogs_per_minute: 1000,
        platform_daily_tokens: 2_000_000,
      },
    });
    expect((await putBudget(owner, { ip_messages_per_minute: -1 })).status).toBe(422);
    expect((await putBudget(owner, { ip_new_dialogs_per_minute: 1.5 })).status).toBe(422);
  });
});
