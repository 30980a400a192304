/**
 * Pages the Worker serves itself (every other page is a static asset: public/index.html through the
 * single-page-application fallback).
 * - `/{slug}/chat/embed`: the shell with the tenant's CSP `frame-ancestors` (its allowed origins, or any
 *   site for an open widget) and the tenant's public info inlined, so the page needs no second lookup.
 *   wrangler.toml lists it in `run_worker_first`.
 * - Page paths requested without browser navigation (fetch, prefetch, link checkers) get the same shell
 *   the SPA fallback gives browsers, instead of the API's JSON 404.
 */
import { Hono } from "hono";
import { frontendBaseUrl, turnstileConfig } from "../config.ts";
import type { AppEnv } from "../env.ts";
import { AppError } from "../errors.ts";
import { database } from "../middleware/database/index.ts";
import { requireTenantBySlug } from "../services/accounts/tenant-lookup.ts";
import { toPublicTenant } from "../services/accounts/tenants.ts";
import { frameAncestors } from "../services/embed/embed.ts";
import { recordEmbedSeen, shouldRecordEmbed } from "../services/embed/embed-seen.ts";
import { embedHostOrigin, embedPass } from "../services/embed/widget-tokens.ts";
import { readPublishedFace } from "../services/prompt/prompt-state.ts";
import { selfOrigins } from "./chat-caller.ts";

/** The pages' CSP without `frame-ancestors` (public/_headers carries the same policy for static pages). */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

/**
 * The chat pages' CSP: PAGE_CSP, plus the Turnstile widget's origin (TURNSTILE_SCRIPT_URL) for its script
 * and challenge frame (Cloudflare documents exactly these two directives).
 */
export function chatPageCsp(turnstileOrigin: string | null): string {
  if (!turnstileOrigin) return PAGE_CSP;
  return PAGE_CSP.replace("script-src 'self'", `script-src 'self' ${turnstileOrigin}`).replace(
    "frame-src 'self'",
    `frame-src 'self' ${turnstileOrigin}`,
  );
}

/** What the chat pages get inline next to the tenant: the embed pass, the host page, the Turnstile script. */
interface PageConfig {
  pass: string | null;
  hostOrigin: string | null;
  turnstileScript: string;
}

function inline(id: string, value: unknown): string {
  return `<script type="application/json" id="${id}">${scriptJson(value)}</script>`;
}

/** JSON that is safe inside a `<script type="application/json">` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

async function shell(c: { env: AppEnv["Bindings"]; req: { url: string } }): Promise<Response> {
  if (!c.env.ASSETS) throw new AppError("service_unavailable", "Static assets are not bound.");
  const res = await c.env.ASSETS.fetch(new Request(new URL("/", c.req.url)));
  return new Response(res.body, res);
}

export const pageRoutes = new Hono<AppEnv>();

pageRoutes.get("/:slug/chat/embed", database(), async (c) => {
  const slug = c.req.param("slug");
  const page = await shell(c);
  const headers = new Headers(page.headers);
  headers.delete("X-Frame-Options");
  headers.delete("ETag");
  headers.set("Cache-Control", "no-cache");
  let tenant = null;
  try {
    tenant = SLUG.test(slug) ? await requireTenantBySlug(c.var.db(), slug) : null;
  } catch (err) {
    if (!(err instanceof AppError && err.code === "tenant_not_found")) throw err;
  }
  if (!tenant) {
    headers.set("Content-Security-Policy", `${PAGE_CSP}; frame-ancestors 'none'`);
    return new Response(page.body, { status: 404, headers });
  }
  const allowed = tenant.settings.allowedOrigins ?? [];
  const ancestors = frameAncestors(allowed, frontendBaseUrl(c.env, c.req.url));
  // Turnstile's origin is allowed even before the tenant sets it up: a page open when the owner turns it on
  // must be able to load the check (the same CSP as /{slug}/chat).
  const { scriptUrl, scriptOrigin } = turnstileConfig(c.env);
  headers.set("Content-Security-Policy", `${chatPageCsp(scriptOrigin)}; ${ancestors}`);
  // The host page this embed was served for: the pass binds widget tokens to it (protected embed).
  const own = selfOrigins(c);
  const host = embedHostOrigin(c.req.raw.headers, own[0] ?? "");
  const config: PageConfig = {
    pass: await embedPass(c.env, { id: tenant.id, allowedOrigins: allowed }, host, own),
    hostOrigin: host || null,
    turnstileScript: scriptUrl,
  };
  // The first load on a real site ticks the onboarding's "put it on your site" (one write, ever).
  if (config.pass !== null && shouldRecordEmbed(tenant.settings, host, own))
    await recordEmbedSeen(c.var.db(), tenant.id, host);
  const face = await readPublishedFace(c.var.db(), tenant.id);
  const tags = inline("cip-tenant", toPublicTenant(tenant, face)) + inline("cip-page", config);
  const html = new HTMLRewriter().on("head", {
    element(head) {
      head.append(tags, { html: true });
    },
  });
  return html.transform(new Response(page.body, { status: 200, headers }));
});

/**
 * `/{slug}/chat`: the shell with the Turnstile script allowed by its CSP (the page renders the check when
 * the tenant set one up; which tenant does is the page's own lookup, so this costs no database query).
 */
pageRoutes.get("/:slug/chat", async (c, next) => {
  if (c.req.param("slug") === "api") return next();
  const page = await shell(c);
  const headers = new Headers(page.headers);
  headers.delete("ETag");
  const { scriptUrl, scriptOrigin } = turnstileConfig(c.env);
  headers.set("Content-Security-Policy", `${chatPageCsp(scriptOrigin)}; frame-ancestors 'none'`);
  const config: PageConfig = { pass: null, hostOrigin: null, turnstileScript: scriptUrl };
  const html = new HTMLRewriter().on("head", {
    element(head) {
      head.append(inline("cip-page", config), { html: true });
    },
  });
  return html.transform(new Response(page.body, { status: page.status, headers }));
});

const PAGE_PATHS = [
  "/signup",
  "/:slug/register",
  "/:slug/login",
  "/:slug/confirm",
  "/:slug/forgot-password",
  "/:slug/reset-password",
  "/:slug/my",
  "/:slug/my/*",
];
for (const path of PAGE_PATHS) {
  pageRoutes.get(path, async (c, next) => {
    if (c.req.param("slug") === "api") return next();
    return shell(c);
  });
}
