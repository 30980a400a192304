import { describe, expect, it } from "vitest";
import { TelegramUpdateSchema } from "../../src/schemas/telegram.ts";
import { telegramDialogId } from "../../src/services/telegram/dialog-id.ts";
import { classifyUpdate } from "../../src/services/telegram/update-handler.ts";

const chat = { id: 42, type: "private" };
const parse = (u: unknown) => TelegramUpdateSchema.parse(u);

describe("classifyUpdate", () => {
  it("tells text, /start, non-text, edits and foreign updates apart", () => {
    expect(classifyUpdate(parse({ update_id: 1, message: { message_id: 1, chat, text: "  hi " } }))).toEqual({
      kind: "text",
      chatId: 42,
      text: "hi",
    });
    for (const text of ["/start", "/start promo-1", "/start@cip_bot"])
      expect(classifyUpdate(parse({ update_id: 1, message: { message_id: 1, chat, text } })).kind).toBe(
        "start",
      );
    expect(
      classifyUpdate(parse({ update_id: 1, message: { message_id: 1, chat, text: "/starter" } })).kind,
    ).toBe("text");
    expect(classifyUpdate(parse({ update_id: 1, message: { message_id: 1, chat, sticker: {} } })).kind).toBe(
      "unsupported",
    );
    expect(
      classifyUpdate(parse({ update_id: 1, edited_message: { message_id: 1, chat, text: "x" } })).kind,
    ).toBe("edited");
    expect(classifyUpdate(parse({ update_id: 1, callback_query: { id: "1" } })).kind).toBe("ignore");
    const fromBot = { message_id: 1, chat, text: "x", from: { id: 1, is_bot: true } };
    expect(classifyUpdate(parse({ update_id: 1, message: fromBot })).kind).toBe("ignore");
  });

  it("accepts unknown fields and rejects updates without an id", () => {
    expect(TelegramUpdateSchema.safeParse({ update_id: 5, brand_new_field: { x: 1 } }).success).toBe(true);
    expect(TelegramUpdateSchema.safeParse({ message: { message_id: 1, chat, text: "x" } }).success).toBe(
      false,
    );
  });
});

describe("telegramDialogId", () => {
  it("is a stable version-8 UUID per tenant and chat", async () => {
    const a = await telegramDialogId("t1", 42);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await telegramDialogId("t1", "42")).toBe(a);
    expect(await telegramDialogId("t2", 42)).not.toBe(a);
    expect(await telegramDialogId("t1", 43)).not.toBe(a);
  });
});
