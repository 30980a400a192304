import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../../env.ts";
import { AppError } from "../../errors.ts";

/** Content types that are read whole into memory (JSON, forms, text) and so need a small cap. */
const BUFFERED_TYPES = /^(application\/(json|x-www-form-urlencoded)|text\/)|^$/;

/** Upload routes: they stream any body type (raw text included) under their own, larger cap. */
const UPLOAD_PATH = /\/me\/(files|documents|galleries\/[^/]+\/images)\/?$/;

/**
 * Caps bodies that are parsed in memory. Uploads (multipart and raw binary types, and anything posted to
 * an upload route) are streamed by their routes, which enforce their own, larger limit while reading.
 */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
    },
  });
  return async (c, next) => {
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (c.req.method === "GET" || c.req.method === "HEAD" || !BUFFERED_TYPES.test(type)) return next();
    if (c.req.method === "POST" && UPLOAD_PATH.test(new URL(c.req.url).pathname)) return next();
    return limit(c, next);
  };
}
