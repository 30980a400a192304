/**
 * Reads one uploaded file from a request, in either form DESIGN.md allows: `multipart/form-data` with a
 * `file` field (browsers) or a raw body with its `Content-Type` and `?name=` (streaming clients).
 * Every path enforces MAX_UPLOAD_BYTES while reading, so an oversized body is refused with 413 without
 * being held in memory:
 * - raw with Content-Length: checked up front, then streamed through (R2 gets a known-length stream);
 * - raw without Content-Length: read through a counting cap into memory (at most the cap);
 * - multipart: the body passes a counting cap (the cap plus room for the part headers) before the
 *   platform's form parser sees it; the file part itself is then held to the exact cap.
 */
import { AppError } from "../errors.ts";
import { SNIFF_BYTES, sniffContentType } from "./sniff.ts";

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Room for boundaries and part headers on top of the file in a multipart body. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export interface Upload {
  /** A safe file name (no path, no control characters). */
  name: string;
  /** What the client said the type was; informational only. */
  declaredType: string;
  /** The type decided from the bytes. */
  contentType: string;
  size: number;
  /** The content, readable once: a known-length stream, a Blob, or bytes (all accepted by R2). */
  body: ReadableStream<Uint8Array> | Blob | Uint8Array;
}

/** The upload cap from the `MAX_UPLOAD_BYTES` setting (bytes), 10 MiB when unset or invalid. */
export function maxUploadBytes(env: unknown): number {
  const raw = (env as { MAX_UPLOAD_BYTES?: string } | undefined)?.MAX_UPLOAD_BYTES;
  const n = Number(raw);
  return raw && Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_UPLOAD_BYTES;
}

const tooLarge = (max: number) =>
  new AppError("payload_too_large", `The file is larger than the upload limit of ${max} bytes.`);

/** A file name without directories or control characters, at most 200 characters; "upload" when empty. */
export function safeFileName(name: string | null | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const visible = [...base.normalize("NFC")].filter((ch) => ch >= " " && ch !== "\u007f");
  const clean = visible.join("").trim();
  if (!clean || clean === "." || clean === "..") return "upload";
  if (clean.length <= 200) return clean;
  const ext = /\.[^.]{1,10}$/.exec(clean)?.[0] ?? "";
  return clean.slice(0, 200 - ext.length) + ext;
}

/** Reads the request's upload (see the module comment); throws 400/413/422 on a bad or oversized one. */
export async function readUpload(req: Request, env: unknown, queryName?: string): Promise<Upload> {
  const max = maxUploadBytes(env);
  const type = req.headers.get("content-type") ?? "";
  const lengthHeader = req.headers.get("content-length");
  const length = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  const body = req.body;
  if (/^multipart\/form-data/i.test(type)) return readMultipart(body, type, length, max);
  if (length !== null && length > max) throw tooLarge(max);
  if (!body || length === 0) throw new AppError("bad_request", "The upload is empty.");
  const name = safeFileName(queryName);
  const declaredType = type.split(";")[0]?.trim().toLowerCase() || "application/octet-stream";
  if (length !== null) return streamKnownLength(body, length, name, declaredType);
  const bytes = await readCapped(body, max);
  if (bytes.length === 0) throw new AppError("bad_request", "The upload is empty.");
  return finish(name, declaredType, bytes.subarray(0, SNIFF_BYTES), bytes.length, bytes);
}

/** Reads a whole upload into memory (documents need all of it to extract text). */
export async function uploadBytes(upload: Upload): Promise<Uint8Array> {
  const { body } = upload;
  if (body instanceof Uint8Array) return body;
  if (body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function finish(name: string, declaredType: string, head: Uint8Array, size: number, body: Upload["body"]) {
  const contentType = sniffContentType(head, { name, declaredType });
  return { name, declaredType, contentType, size, body };
}

async function readMultipart(
  body: ReadableStream<Uint8Array> | null,
  type: string,
  length: number | null,
  max: number,
): Promise<Upload> {
  const bodyMax = max + MULTIPART_OVERHEAD_BYTES;
  if (length !== null && length > bodyMax) throw tooLarge(max);
  if (!body) throw new AppError("bad_request", "The upload is empty.");
  const cap = byteCap(bodyMax);
  let form: FormData;
  try {
    form = await new Response(body.pipeThrough(cap.stream), { headers: { "content-type": type } }).formData();
  } catch {
    if (cap.exceeded()) throw tooLarge(max);
    throw new AppError("bad_request", "The multipart body could not be read.");
  }
  const file = form.get("file");
  if (!(file instanceof File)) {
    throw new AppError("validation_failed", "The request is not valid.", {
      issues: [{ path: "file", message: "Send the file in a form field named `file`." }],
    });
  }
  if (file.size > max) throw tooLarge(max);
  if (file.size === 0) throw new AppError("bad_request", "The upload is empty.");
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const declaredType = file.type.split(";")[0]?.trim().toLowerCase() || "application/octet-stream";
  // Browsers escape a quote in a multipart file name as %22 (WHATWG multipart encoding); undo that.
  return finish(safeFileName(file.name.replace(/%22/g, '"')), declaredType, head, file.size, file);
}

/** A pass-through that errors once more than `max` bytes went through, and says whether it did. */
function byteCap(max: number) {
  let total = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > max) controller.error(tooLarge(max));
      else controller.enqueue(chunk);
    },
  });
  return { stream, exceeded: () => total > max };
}

async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Peeks at the first bytes for sniffing, then hands R2 the whole body as a stream of known length. */
async function streamKnownLength(
  body: ReadableStream<Uint8Array>,
  length: number,
  name: string,
  declaredType: string,
): Promise<Upload> {
  const reader = body.getReader();
  const pending: Uint8Array[] = [];
  let seen = 0;
  while (seen < SNIFF_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    pending.push(value);
    seen += value.byteLength;
  }
  const head = new Uint8Array(Math.min(seen, SNIFF_BYTES));
  let at = 0;
  for (const chunk of pending) {
    if (at >= head.length) break;
    const part = chunk.subarray(0, head.length - at);
    head.set(part, at);
    at += part.byteLength;
  }
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = pending.shift();
      if (next) return controller.enqueue(next);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const fixed = new FixedLengthStream(length);
  replay.pipeTo(fixed.writable).catch(() => {
    // A short or long body errors the fixed-length stream; the R2 put that reads it then fails.
  });
  return finish(name, declaredType, head, length, fixed.readable);
}
