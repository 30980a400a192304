/**
 * An owner links their own Telegram chat with the tenant's bot (`POST …/me/telegram/owner-link`, then
 * `/start <code>` in a private chat) and gets lead alerts from the bot (docs/integrations.md).
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { telegramOwnerLinks } from "../../src/db/schema.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";
import { chatId, connectBot, deliver, pause, telegramCalls, textUpdate } from "../helpers/telegram.ts";

const linkPath = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/telegram/owner-link`;
const makeLink = (o: Owner, token = o.token) => call(linkPath(o), { method: "POST", headers: bearer(token) });

interface Link {
  code: string;
  url: string;
  expires_at: string;
}

async function linked(o: Owner): Promise<boolean> {
  const res = await call(`/api/v1/tenants/${o.tenantId}/me/profile`, { headers: bearer(o.token) });
  return ((await res.json()) as { telegram_linked: boolean }).telegram_linked;
}

/** The bot's messages to `chat`, waiting until there are `count`. */
async function messagesTo(token: string, chat: number, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const texts = (await telegramCalls(token, "sendMessage"))
      .filter((c) => c.status === 200 && c.params.chat_id === chat)
      .map((c) => String(c.params.text));
    if (texts.length >= count) return texts;
    if (Date.now() > deadline) throw new Error(`chat ${chat}: ${texts.length} of ${count} messages`);
    await pause(50);
  }
}

describe("Telegram owner link", () => {
  it("needs a connected bot, and an owner", async () => {
    const owner = await seedOwner();
    const none = await makeLink(owner);
    expect(none.status).toBe(409);
    await connectBot(owner);
    const member = await seedMember(owner);
    expect((await makeLink(owner, member.token)).status).toBe(403);
    expect((await call(linkPath(owner), { method: "POST" })).status).toBe(401);
    const stranger = await seedOwner();
    expect((await makeLink(owner, stranger.token)).status).toBe(403);
  });

  it("links the owner's private chat with /start <code>, and the bot then sends lead alerts", async () => {
    const owner = await seedOwner({ locale: "en" });
    const bot = await connectBot(owner);
    const res = await makeLink(owner);
    expect(res.status, await res.clone().text()).toBe(200);
    const link = (await res.json()) as Link;
    const username = new URL(link.url).pathname.slice(1);
    expect(link.url).toBe(`https://t.me/${username}?start=${link.code}`);
    expect(username).toMatch(/^cip_\d+_bot$/);
    expect(link.code).toMatch(/^owner_[A-Za-z0-9_-]{32}$/);
    const ttl = Date.parse(link.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    expect(await linked(owner)).toBe(false);

    const mine = chatId();
    await deliver(owner.tenantId, bot.secret, textUpdate(mine, `/start ${link.code}`));
    const [done] = await messagesTo(bot.token, mine, 1);
    expect(done).toMatch(/^Done: alerts about new leads will come here/);
    expect(await linked(owner)).toBe(true);

    // The code is single use: someone else's chat cannot take it over.
    const thief = chatId();
    await deliver(owner.tenantId, bot.secret, textUpdate(thief, `/start ${link.code}`));
    const [refused] = await messagesTo(bot.token, thief, 1);
    expect(refused).toMatch(/not valid or has expired/);

    const tag = await script({ reply: "Noted." });
    const sent = await chat(owner.tenantId, {
      user_id: visitor(),
      message: `call me: tg.lead@example.com ${tag}`,
    });
    const dialogId = dialogIdOf(await readSse(sent));
    const texts = await messagesTo(bot.token, mine, 2);
    expect(texts[1]).toContain("tg.lead@example.com");
    expect(texts[1]).toContain(`http://cip.test/${owner.slug}/my/dialogs/${dialogId}`);
    expect(texts[1]).toContain("call me: tg.lead@example.com");
    await pause(300);
    expect(await messagesTo(bot.token, thief, 1)).toHaveLength(1);

    // Unlinked: alerts stop coming by Telegram.
    const unlink = await call(linkPath(owner), { method: "DELETE", headers: bearer(owner.token) });
    expect(unlink.status).toBe(204);
    expect(await linked(owner)).toBe(false);
  });

  it("refuses an expired code, a group chat and a made-up code", async () => {
    const owner = await seedOwner({ locale: "ru" });
    const bot = await connectBot(owner);
    const expired = (await (await makeLink(owner)).json()) as Link;
    await withDb((h) =>
      h.db
        .update(telegramOwnerLinks)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(telegramOwnerLinks.tenantId, owner.tenantId)),
    );
    const a = chatId();
    await deliver(owner.tenantId, bot.secret, textUpdate(a, `/start ${expired.code}`));
    expect((await messagesTo(bot.token, a, 1))[0]).toMatch(/недействительна или устарела/);

    const fresh = (await (await makeLink(owner)).json()) as Link;
    const group = -Math.abs(chatId());
    const update = textUpdate(group, `/start ${fresh.code}`) as {
      message: { chat: Record<string, unknown> };
    };
    update.message.chat = { id: group, type: "group", title: "Team" };
    await deliver(owner.tenantId, bot.secret, update);
    expect((await messagesTo(bot.token, group, 1))[0]).toMatch(/недействительна/);

    const b = chatId();
    await deliver(owner.tenantId, bot.secret, textUpdate(b, `/start owner_${"A".repeat(32)}`));
    expect((await messagesTo(bot.token, b, 1))[0]).toMatch(/недействительна/);
    expect(await linked(owner)).toBe(false);

    // The fresh code still works in the owner's private chat.
    await deliver(owner.tenantId, bot.secret, textUpdate(b, `/start ${fresh.code}`));
    expect((await messagesTo(bot.token, b, 2))[1]).toMatch(/^Готово/);
    expect(await linked(owner)).toBe(true);
  });
});
