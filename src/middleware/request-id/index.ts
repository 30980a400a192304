/**
 * Names every request and logs it under that name. The id is the client's `X-Request-Id` when it sends a
 * sane one (Hono's check: at most 255 of `[A-Za-z0-9_=-]`), else Cloudflare's `cf-ray`, so that our
 * lines and Cloudflare's own records of the request share it, else (local dev, tests) a fresh uuid. It
 * is echoed in the `X-Request-Id` response header and carried by every log line written while the
 * request is handled, including the work it leaves to `waitUntil`.
 */
import type { MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import type { AppEnv } from "../../env.ts";
import { withLogContext } from "../../lib/log.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";

/** The first middleware of the app: `c.var.requestId`, the response header and the log context. */
export function requestContext(): MiddlewareHandler<AppEnv> {
  const name = requestId({
    headerName: REQUEST_ID_HEADER,
    generator: (c) => c.req.header("cf-ray") ?? crypto.randomUUID(),
  });
  return (c, next) =>
    name(c, async () => {
      const id = c.get("requestId");
      await withLogContext({ requestId: id }, next);
      // A handler that built its own Response (a stream, a file) did not get the header Hono prepared.
      if (!c.res.headers.has(REQUEST_ID_HEADER)) c.header(REQUEST_ID_HEADER, id);
    });
}
