import { afterEach, describe, expect, it, vi } from "vitest";
import { galleryGroups, galleryImages } from "../../src/db/schema.ts";
import { telegramDialogId } from "../../src/services/telegram/dialog-id.ts";
import { seedOwner } from "../helpers/accounts.ts";
import { storedMessages } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { script } from "../helpers/model.ts";
import {
  chatId,
  connectBot,
  deliver,
  failNext,
  pause,
  telegramCalls,
  textUpdate,
  waitForCalls,
} from "../helpers/telegram.ts";

const block = (...lines: string[]) => `[EXECUTE]\n${lines.join("\n")}\n[/EXECUTE]`;

/** A gallery with `count` images, written straight to the database (the bytes are not needed for URLs). */
async function seedGallery(tenantId: string, count: number): Promise<{ id: string; imageIds: string[] }> {
  return withDb(async ({ db }) => {
    const [group] = await db
      .insert(galleryGroups)
      .values({ tenantId, title: "Our rooms" })
      .returning({ id: galleryGroups.id });
    const groupId = group?.id ?? "";
    const images = await db
      .insert(galleryImages)
      .values(
        Array.from({ length: count }, (_, i) => ({
          tenantId,
          groupId,
          name: `room-${i}.jpg`,
          caption: i === 0 ? "The big room" : null,
          contentType: "image/jpeg",
          size: 1000,
          position: i,
          r2Key: `${tenantId}/${crypto.randomUUID()}`,
        })),
      )
      .returning({ id: galleryImages.id });
    return { id: groupId, imageIds: images.map((i) => i.id) };
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Telegram replies", () => {
  it("splits a long reply at paragraph boundaries into messages of at most 4096 characters", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const paragraph = (i: number) =>
      `${`Paragraph ${i}. ${"All good here. ".repeat(70)}`.slice(0, 998).trimEnd()}.`;
    const reply = Array.from({ length: 9 }, (_, i) => paragraph(i + 1)).join("\n\n");
    expect(reply.length).toBeGreaterThan(8900);
    const tag = await script({ reply, chunkSize: 500 });
    await deliver(owner.tenantId, bot.secret, textUpdate(chatId(), tag));
    const calls = await waitForCalls(bot.token, "sendMessage", 3);
    await pause(300);
    const parts = (await waitForCalls(bot.token, "sendMessage", 3)).map((c) => String(c.params.text));
    expect(parts).toHaveLength(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part).toMatch(/^Paragraph \d+\./);
      expect(part.endsWith(".")).toBe(true);
    }
    expect(parts.join("\n\n")).toBe(reply);
    expect(calls.every((c) => c.params.parse_mode === undefined)).toBe(true);
  });

  it("sends a shown gallery as an album of photos by their public URLs, and a single image as a photo", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const big = await seedGallery(owner.tenantId, 3);
    const small = await seedGallery(owner.tenantId, 1);
    const chat = chatId();
    const tag = await script({ reply: `Look: ${block("SHOW_GALLERY", `group_id=${big.id}`)}` });
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `Rooms? ${tag}`));
    const [album] = await waitForCalls(bot.token, "sendMediaGroup", 1);
    const url = (id: string) => `http://cip.test/api/v1/public/images/${owner.tenantId}/${id}`;
    expect(album?.params).toEqual({
      chat_id: chat,
      media: [
        { type: "photo", media: url(big.imageIds[0] ?? ""), caption: "The big room" },
        { type: "photo", media: url(big.imageIds[1] ?? "") },
        { type: "photo", media: url(big.imageIds[2] ?? "") },
      ],
    });
    const [text] = await waitForCalls(bot.token, "sendMessage", 1);
    expect(String(text?.params.text)).toContain("Our rooms");
    expect(text?.at).toBeLessThanOrEqual(album?.at ?? 0);

    const tag2 = await script({ reply: block("SHOW_GALLERY", `group_id=${small.id}`) });
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `And the small one? ${tag2}`));
    const [photo] = await waitForCalls(bot.token, "sendPhoto", 1);
    expect(photo?.params).toEqual({
      chat_id: chat,
      photo: url(small.imageIds[0] ?? ""),
      caption: "The big room",
    });
  });

  it("retries after a 429 (honouring retry_after) and after 5xx answers; the message arrives", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    await failNext(bot.token, "sendMessage", 1, 429, 1);
    const tag = await script({ reply: "Worth the wait." });
    const started = Date.now();
    await deliver(owner.tenantId, bot.secret, textUpdate(chatId(), tag));
    const [ok] = await waitForCalls(bot.token, "sendMessage", 1);
    expect(ok?.params.text).toBe("Worth the wait.");
    const all = await telegramCalls(bot.token, "sendMessage");
    expect(all.map((c) => c.status)).toEqual([429, 200]);
    expect((all[1]?.at ?? 0) - (all[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(8000);

    await failNext(bot.token, "sendMessage", 2, 500);
    const tag2 = await script({ reply: "Through the storm." });
    await deliver(owner.tenantId, bot.secret, textUpdate(chatId(), tag2));
    await waitForCalls(bot.token, "sendMessage", 2);
    expect((await telegramCalls(bot.token, "sendMessage")).map((c) => c.status)).toEqual([
      429, 200, 500, 500, 200,
    ]);
  });

  it("gives up after a bounded number of attempts, logs it without the token, and keeps the answer stored", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    await failNext(bot.token, "sendMessage", 10, 502);
    const lines: string[] = [];
    const spy = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(spy);
    const chat = chatId();
    const tag = await script({ reply: "Nobody will read this in Telegram." });
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, tag));
    const deadline = Date.now() + 10_000;
    while (!lines.some((l) => l.includes("telegram update not answered")) && Date.now() < deadline)
      await pause(100);
    const attempts = await telegramCalls(bot.token, "sendMessage");
    expect(attempts.map((c) => c.status)).toEqual([502, 502, 502, 502]);
    expect(lines.join("\n")).toContain("telegram update not answered");
    expect(lines.join("\n")).not.toContain(bot.token.split(":")[1]);
    const rows = await storedMessages(await telegramDialogId(owner.tenantId, chat), 2);
    expect(rows[1]).toMatchObject({ role: "assistant", content: "Nobody will read this in Telegram." });
  });

  it("keeps showing 'typing' while a slow model works", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const tag = await script({ reply: "slow but sure", chunkSize: 1, delayMs: 350 });
    await deliver(owner.tenantId, bot.secret, textUpdate(chatId(), tag));
    const [reply] = await waitForCalls(bot.token, "sendMessage", 1, 12_000);
    const typing = await telegramCalls(bot.token, "sendChatAction");
    expect(typing.length).toBeGreaterThanOrEqual(2);
    expect(typing.every((c) => (c.at ?? 0) <= (reply?.at ?? 0))).toBe(true);
    await pause(4500);
    expect((await telegramCalls(bot.token, "sendChatAction")).length).toBe(typing.length);
  }, 25_000);
});
