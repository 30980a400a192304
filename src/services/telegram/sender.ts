/**
 * Sends answers to a Telegram chat: text as plain `sendMessage` calls (no parse_mode, so nothing the model
 * writes can break Telegram's markup), split to fit 4096 characters at paragraph, line, sentence or word
 * boundaries; gallery images as `sendMediaGroup` (2-10) or `sendPhoto` (1); the typing indicator.
 */
import type { CommandRecord } from "../../chat/turn-runner.ts";
import { GalleryCommandData } from "../../schemas/telegram.ts";
import { type BotApi, NO_RETRY } from "./bot-api.ts";

/** Telegram's limit on one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const MEDIA_GROUP_MAX = 10;
/** `sendChatAction` shows for about 5 s; it is repeated this often while the model works. */
export const TYPING_EVERY_MS = 4000;

/** An image to send by its public URL. */
export interface Photo {
  url: string;
  caption?: string;
}

/** Where to cut `text` so the head fits `limit`: the latest good boundary, the finest kind last. */
function cutPoint(text: string, limit: number): number {
  const min = Math.floor(limit * 0.3);
  const paragraph = text.lastIndexOf("\n\n", limit);
  if (paragraph >= min) return paragraph;
  const line = text.lastIndexOf("\n", limit);
  if (line >= min) return line;
  for (let i = limit - 1; i >= min; i--) {
    if (/[.!?…;]/.test(text.charAt(i)) && /\s/.test(text.charAt(i + 1))) return i + 1;
  }
  for (let i = limit; i > 0; i--) if (/\s/.test(text.charAt(i))) return i;
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit; // never split a surrogate pair
}

/** Splits `text` into pieces of at most `limit` UTF-16 units, preferring natural boundaries. */
export function splitMessage(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = cutPoint(rest, limit);
    const head = rest.slice(0, cut).trimEnd();
    if (head) parts.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** The gallery images in a turn's command results, in order. */
export function galleryPhotos(commands: readonly CommandRecord[]): Photo[] {
  const photos: Photo[] = [];
  for (const command of commands) {
    if (!command.ok) continue;
    const parsed = GalleryCommandData.safeParse(command.data);
    if (!parsed.success) continue;
    for (const image of parsed.data.gallery.images) {
      const caption = (image.caption ?? "").trim().slice(0, CAPTION_LIMIT);
      photos.push(caption ? { url: image.url, caption } : { url: image.url });
    }
  }
  return photos;
}

/** Sends `text` as one or more plain-text messages. */
export async function sendText(api: BotApi, chatId: number, text: string): Promise<void> {
  for (const part of splitMessage(text)) await api.call("sendMessage", { chat_id: chatId, text: part });
}

/** Sends images as albums of up to ten; a lone image as a single photo. */
export async function sendPhotos(api: BotApi, chatId: number, photos: readonly Photo[]): Promise<void> {
  for (let i = 0; i < photos.length; i += MEDIA_GROUP_MAX) {
    const group = photos.slice(i, i + MEDIA_GROUP_MAX);
    const [only] = group;
    if (group.length === 1 && only) {
      await api.call("sendPhoto", { chat_id: chatId, photo: only.url, ...captionOf(only) });
    } else {
      const media = group.map((p) => ({ type: "photo", media: p.url, ...captionOf(p) }));
      await api.call("sendMediaGroup", { chat_id: chatId, media });
    }
  }
}

function captionOf(photo: Photo): { caption?: string } {
  return photo.caption ? { caption: photo.caption } : {};
}

/** Shows "typing…" now and every few seconds until `stop()`; failures are ignored (it is cosmetic). */
export function startTyping(api: BotApi, chatId: number, everyMs = TYPING_EVERY_MS): { stop(): void } {
  const tick = () => {
    api.call("sendChatAction", { chat_id: chatId, action: "typing" }, NO_RETRY).catch(() => {});
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return { stop: () => clearInterval(timer) };
}
