/**
 * CORS for the public chat API (`/api/v1/tenants/{tenant_id}/chat...`), so a widget on another site can
 * call it. A page may use the chat when it is the app itself (FRONTEND_BASE_URL or the request's own
 * origin) or listed in the tenant's `allowed_origins`; with an empty list any page may (an open widget).
 * Requests without an `Origin` header, and those from the app's own origin, cost nothing; the others read
 * the allowed origins from the edge's cached tenant settings (src/services/edge-tenant-settings.ts: isolate
 * memory, else the TenantObject's warm snapshot), never from Postgres. Safe to mount on `/api/*`: other
 * paths pass through untouched.
 */
import type { MiddlewareHandler } from "hono";
import { frontendBaseUrl } from "../../config.ts";
import type { AppEnv } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { UUID_PATTERN } from "../../lib/uuid.ts";
import { edgeTenantSettings } from "../../services/embed/edge-tenant-settings.ts";
import { isOriginAllowed } from "../../services/embed/embed.ts";

const CHAT_PATH = new RegExp(`^/api/v1/tenants/(${UUID_PATTERN})/chat(?:/|$)`, "i");
const ALLOW_METHODS = "GET, POST, OPTIONS";
const ALLOW_HEADERS = "Content-Type, Accept, Authorization, Last-Event-ID, X-Widget-Token, X-Turnstile-Token";
const EXPOSE_HEADERS = "X-Request-Id, Retry-After";
/** How long a browser may reuse a preflight answer (seconds); origin changes apply after at most this. */
const PREFLIGHT_MAX_AGE = 600;

/**
 * The chat API's CORS: answers preflights (204 when allowed, 403 envelope otherwise), echoes an allowed
 * `Origin` in `Access-Control-Allow-Origin` (no credentials), and refuses a request whose browser
 * `Origin` is not allowed with 403, so other sites cannot spend a tenant's chat through their visitors.
 */
export function chatCors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = CHAT_PATH.exec(new URL(c.req.url).pathname);
    const origin = c.req.header("origin");
    if (!match?.[1] || origin === undefined) return next();

    const preflight =
      c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined;
    c.header("Vary", "Origin", { append: true });
    const selfOrigins = [new URL(frontendBaseUrl(c.env, c.req.url)).origin, new URL(c.req.url).origin];
    // An unknown tenant lists no origins: the route itself answers 404, readable by the page.
    const allowed =
      selfOrigins.includes(origin) ||
      isOriginAllowed(origin, (await edgeTenantSettings(c.env, match[1]))?.allowedOrigins ?? [], selfOrigins);
    if (!allowed) {
      throw new AppError("forbidden", "This site may not use this chat: its origin is not allowed.");
    }

    c.header("Access-Control-Allow-Origin", origin);
    c.header("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    if (preflight) {
      c.header("Access-Control-Allow-Methods", ALLOW_METHODS);
      c.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
      c.header("Access-Control-Max-Age", String(PREFLIGHT_MAX_AGE));
      return c.body(null, 204);
    }
    await next();
  };
}
