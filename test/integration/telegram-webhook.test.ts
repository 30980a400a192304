import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dialogs, telegramUpdates } from "../../src/db/schema.ts";
import { telegramDialogId } from "../../src/services/telegram/dialog-id.ts";
import { bearer, seedOwner } from "../helpers/accounts.ts";
import { storedMessages } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { publishPrompt } from "../helpers/prompt.ts";
import {
  chatId,
  connectBot,
  deliver,
  pause,
  telegramCalls,
  textUpdate,
  waitForCalls,
} from "../helpers/telegram.ts";

const claimsOf = (tenantId: string) =>
  withDb((h) => h.db.select().from(telegramUpdates).where(eq(telegramUpdates.tenantId, tenantId)));
const dialogsOf = (tenantId: string) =>
  withDb((h) => h.db.select().from(dialogs).where(eq(dialogs.tenantId, tenantId)));
const sent = async (token: string) =>
  (await telegramCalls(token, "sendMessage")).filter((c) => c.status === 200);

describe("the Telegram webhook", () => {
  it("refuses a wrong or missing secret with 401 before reading the body, and writes nothing", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const tag = await script({ reply: "never" });
    const update = textUpdate(chatId(), `hi ${tag}`);
    for (const secret of [undefined, "", `${bot.secret}x`, bot.secret.slice(0, -1)]) {
      const res = await deliver(owner.tenantId, secret, update);
      expect(res.status).toBe(401);
      expect((await readError(res)).error.code).toBe("unauthorized");
    }
    // Not even a malformed body is looked at without the secret.
    expect((await deliver(owner.tenantId, "wrong", "{not json")).status).toBe(401);
    // A tenant without a bot: nobody's secret works.
    const lonely = await seedOwner();
    expect((await deliver(lonely.tenantId, bot.secret, update)).status).toBe(401);

    await pause(300);
    expect(await claimsOf(owner.tenantId)).toHaveLength(0);
    expect(await dialogsOf(owner.tenantId)).toHaveLength(0);
    expect(await requestsFor(tag)).toHaveLength(0);
    expect(await sent(bot.token)).toHaveLength(0);
  });

  it("runs an update delivered 5 times at once exactly once: one model call, one reply", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const chat = chatId();
    const tag = await script({ reply: "Hello from the bot!", delayMs: 20 });
    const update = textUpdate(chat, `Hi there ${tag}`);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => deliver(owner.tenantId, bot.secret, update)),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    const [reply] = await waitForCalls(bot.token, "sendMessage", 1);
    expect(reply?.params).toEqual({ chat_id: chat, text: "Hello from the bot!" });
    const typing = await telegramCalls(bot.token, "sendChatAction");
    expect(typing[0]?.params).toEqual({ chat_id: chat, action: "typing" });
    await pause(500);
    expect(await sent(bot.token)).toHaveLength(1);
    expect(await requestsFor(tag)).toHaveLength(1);
    expect(await claimsOf(owner.tenantId)).toHaveLength(1);

    // The chat is one dialog (channel telegram, visitor = chat id), and the next message continues it.
    const dialogId = await telegramDialogId(owner.tenantId, chat);
    const rows = await storedMessages(dialogId, 2);
    expect(rows.map((r) => [r.role, r.content])).toEqual([
      ["user", `Hi there ${tag}`],
      ["assistant", "Hello from the bot!"],
    ]);
    const tag2 = await script({ reply: "Second answer." });
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `And again ${tag2}`));
    await waitForCalls(bot.token, "sendMessage", 2);
    const history = (await requestsFor(tag2))[0]?.messages.map((m) => m.content) ?? [];
    expect(history).toContain("Hello from the bot!");
    const [dialog] = await dialogsOf(owner.tenantId);
    expect(dialog).toMatchObject({ id: dialogId, channel: "telegram", visitorId: String(chat) });
    expect(await dialogsOf(owner.tenantId)).toHaveLength(1);
  });

  it("greets /start with the tenant's welcome text without calling the model", async () => {
    const owner = await seedOwner({ locale: "en" });
    const bot = await connectBot(owner);
    const tag = await script({ reply: "should not run" });
    const chat = chatId();
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `/start ${tag}`));
    const [greeting] = await waitForCalls(bot.token, "sendMessage", 1);
    expect(greeting?.params.text).toBe(
      `Hello! I am the assistant of Tenant ${owner.slug}. Send me your question and I will answer.`,
    );

    const welcome = await callJson(
      "PUT",
      `/api/v1/tenants/${owner.tenantId}/me/prompt/welcome`,
      { welcome_text: "Welcome to our shop!" },
      bearer(owner.token),
    );
    expect(welcome.status).toBe(200);
    // Visitors get the published welcome text (docs/cabinet.md "Draft and publish").
    await publishPrompt(owner);
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, "/start@some_bot"));
    const calls = await waitForCalls(bot.token, "sendMessage", 2);
    expect(calls[1]?.params).toEqual({ chat_id: chat, text: "Welcome to our shop!" });
    expect(await requestsFor(tag)).toHaveLength(0);
  });

  it("answers stickers, photos and edits politely in the tenant's language, never with a 500", async () => {
    const owner = await seedOwner({ locale: "ru" });
    const bot = await connectBot(owner);
    const chat = chatId();
    const base = textUpdate(chat, "x") as { update_id: number; message: Record<string, unknown> };
    const { text: _text, ...message } = base.message;
    const sticker = {
      update_id: base.update_id,
      message: { ...message, sticker: { file_id: "CAAD", emoji: "👍" } },
    };
    const photo = {
      update_id: base.update_id + 1,
      message: { ...message, photo: [{ file_id: "AgAD", width: 90, height: 90 }], caption: "look" },
    };
    const edited = { update_id: base.update_id + 2, edited_message: { ...base.message, edit_date: 1 } };
    for (const update of [sticker, photo, edited])
      expect((await deliver(owner.tenantId, bot.secret, update)).status).toBe(200);
    const calls = await waitForCalls(bot.token, "sendMessage", 3);
    const texts = calls.map((c) => String(c.params.text));
    expect(texts.filter((t) => t.includes("только текстовые сообщения"))).toHaveLength(2);
    expect(texts.filter((t) => t.includes("отредактированные"))).toHaveLength(1);
    expect(await dialogsOf(owner.tenantId)).toHaveLength(0);
  });

  it("answers 200 to an update it cannot read, and sends nothing", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    for (const body of ["{not json", "[]", JSON.stringify({ message: { text: "no update id" } }), "null"]) {
      expect((await deliver(owner.tenantId, bot.secret, body)).status).toBe(200);
    }
    const unknownKind = { update_id: 77, callback_query: { id: "1", data: "x" } };
    expect((await deliver(owner.tenantId, bot.secret, unknownKind)).status).toBe(200);
    await pause(400);
    expect(await sent(bot.token)).toHaveLength(0);
    expect(await telegramCalls(bot.token, "sendChatAction")).toHaveLength(0);
    expect((await claimsOf(owner.tenantId)).map((c) => c.updateId)).toEqual([77]);
  });
});
