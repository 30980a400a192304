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
import { frontendBaseUrl } from "../config.ts";
import type { AppEnv } from "../env.ts";
import { AppError } from "../errors.ts";
import { database } from "../middleware/database/index.ts";
import { frameAncestors } from "../services/embed.ts";
import { requireTenantBySlug } from "../services/tenant-lookup.ts";
import { toPublicTenant } from "../services/tenants.ts";

/** The pages' CSP without `frame-ancestors` (public/_headers carries the same policy for static pages). */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

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
  const ancestors = frameAncestors(tenant.settings.allowedOrigins ?? [], frontendBaseUrl(c.env, c.req.url));
  headers.set("Content-Security-Policy", `${PAGE_CSP}; ${ancestors}`);
  const data = scriptJson(toPublicTenant(tenant));
  const html = new HTMLRewriter().on("head", {
    element(head) {
      head.append(`<script type="application/json" id="cip-tenant">${data}</script>`, { html: true });
    },
  });
  return html.transform(new Response(page.body, { status: 200, headers }));
});

const PAGE_PATHS = [
  "/signup",
  "/:slug/chat",
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
