/** The tenant a page belongs to: its public info, from the page itself (embed) or the public API. */
import { api } from "./api.ts";

export interface PublicTenant {
  id: string;
  slug: string;
  name: string;
  locale: "ru" | "en";
  welcomeText: string | null;
  widget: { color: string | null; position: "left" | "right"; greeting: string | null };
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
