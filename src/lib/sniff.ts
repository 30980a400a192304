/**
 * Content types decided from an upload's bytes, never from what the client claims. The client's name or
 * type only picks the flavour of a text file (plain, markdown, CSV), never whether it is text at all.
 */
import { AppError } from "../errors.ts";

/** How many leading bytes the sniffer looks at. */
export const SNIFF_BYTES = 4096;

export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export const DOCUMENT_TYPES = [
  "text/plain",
  "text/markdown",
  "text/csv",
  "text/html",
  "application/pdf",
] as const;

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0) =>
  bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

const MAGIC: Array<[string, (b: Uint8Array) => boolean]> = [
  ["image/png", (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ["image/jpeg", (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ["image/gif", (b) => startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))],
  ["image/webp", (b) => startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8)],
  ["application/pdf", (b) => startsWith(b, ascii("%PDF-"))],
  [
    "application/zip",
    (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]),
  ],
];

/**
 * True when `head` is UTF-8 text: it decodes strictly (a multi-byte character cut at the end of the
 * sample is allowed) and holds no NUL or other C0 control bytes except tab, line feeds and form feed.
 */
export function looksLikeText(head: Uint8Array): boolean {
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

const HTML_START =
  /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<!--|<(div|p|h[1-6]|title|meta)[\s>])/i;
const TEXT_FLAVOURS: Array<[RegExp, string]> = [
  [/\.(md|markdown)$/i, "text/markdown"],
  [/\.csv$/i, "text/csv"],
  [/\.html?$/i, "text/html"],
];

/**
 * The content type of an upload from its first bytes. Binary formats come from magic numbers; UTF-8 text
 * is HTML when it starts like HTML, else plain text, markdown or CSV by the name or the declared type.
 * Anything else is `application/octet-stream`.
 */
export function sniffContentType(head: Uint8Array, hint: { name?: string; declaredType?: string } = {}) {
  for (const [type, test] of MAGIC) if (test(head)) return type;
  if (!looksLikeText(head)) return "application/octet-stream";
  const text = new TextDecoder().decode(head.subarray(0, 512)).replace(/^\uFEFF/, "");
  if (HTML_START.test(text)) return "text/html";
  const declared = (hint.declaredType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (declared === "text/markdown" || declared === "text/csv" || declared === "text/html") return declared;
  for (const [pattern, type] of TEXT_FLAVOURS) if (pattern.test(hint.name ?? "")) return type;
  return "text/plain";
}

/** Throws 415 unless `type` is one of `allowed`. */
export function requireType(type: string, allowed: readonly string[], what: string): void {
  if (!allowed.includes(type)) {
    throw new AppError(
      "unsupported_media_type",
      `This ${what} is ${type}; accepted: ${allowed.join(", ")} (decided from the bytes, not the label).`,
    );
  }
}

/** The value of a Content-Type header for a stored type (text gets its charset). */
export function headerType(type: string): string {
  return type.startsWith("text/") ? `${type}; charset=utf-8` : type;
}
