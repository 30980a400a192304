/** The tenant a page belongs to: its public info, from the page itself (embed) or the public API. */
import { api } from "./api.ts";
import type { SchemaPublicTenant } from "./api-types.gen.ts";

/** Fields an answer cached (or a page rendered) before they existed may lack: the defaults apply then. */
type Later = "starters" | "chatLanguage" | "chat";

/**
 * The tenant's public info, as the API's `PublicTenant` schema gives it (api-types.gen.ts); `starters`,
 * `chatLanguage` (absent: auto) and `chat` may be absent in answers cached from before they existed.
 */
export type PublicTenant = Omit<SchemaPublicTenant, Later> & Partial<Pick<SchemaPublicTenant, Later>>;

/** What the Worker puts into the chat pages next to the tenant (`#cip-page`, src/routes/pages.ts). */
export interface PageConfig {
  /** The embed page's pass: traded for widget tokens bound to the host page. */
  pass: string | null;
  /** The host page the embed was served for, as the Worker saw it. */
  hostOrigin: string | null;
  turnstileScript: string;
}

/** The page's inline config, or the defaults on a page served without it. */
export function pageConfig(): PageConfig {
  const fallback = {
    pass: null,
    hostOrigin: null,
    turnstileScript: "https://challenges.cloudflare.com/turnstile/v0/api.js",
  };
  const el = document.getElementById("cip-page");
  if (!el?.textContent) return fallback;
  try {
    const v = JSON.parse(el.textContent) as Partial<PageConfig>;
    return {
      pass: typeof v.pass === "string" ? v.pass : null,
      hostOrigin: typeof v.hostOrigin === "string" ? v.hostOrigin : null,
      turnstileScript: typeof v.turnstileScript === "string" ? v.turnstileScript : fallback.turnstileScript,
    };
  } catch {
    return fallback;
  }
}

function injected(slug: string): PublicTenant | null {
  const el = document.getElementById("cip-tenant");
  if (!el?.textContent) return null;
  try {
    const tenant = JSON.parse(el.textContent) as PublicTenant;
    return tenant.slug === slug ? tenant : null;
  } catch {
    return null;
  }
}

/**
 * The tenant by slug. The embed page carries it inline (the Worker already looked it up); other pages
 * ask `GET /tenants/by-slug/{slug}`, which browsers and the edge may keep for 30 s. `fresh` skips caches
 * (the owner's previews).
 */
export async function loadTenant(slug: string, fresh = false): Promise<PublicTenant> {
  return (
    injected(slug) ??
    (await api<PublicTenant>(
      `/tenants/by-slug/${encodeURIComponent(slug)}`,
      fresh ? { cache: "no-cache" } : {},
    ))
  );
}

/** The `src` for a gallery image URL of this tenant, on this origin; null for anything else. */
export function galleryImageSrc(tenantId: string): (url: string) => string | null {
  const path = new RegExp(
    `^/api/v1/public/images/${tenantId.replace(/[^0-9a-fA-F-]/g, "")}/[A-Za-z0-9-]{1,64}$`,
  );
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url, location.origin);
    } catch {
      return null;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    if (parsed.username || parsed.password || parsed.search || parsed.hash) return null;
    return path.test(parsed.pathname) ? `${location.origin}${parsed.pathname}` : null;
  };
}
