import type { Database } from "../../db/client.ts";
import type { PublicTenant } from "../../schemas/tenant.ts";
import { conversationPolicy } from "../embed/embed-protection.ts";
import { type PublishedFace, readPublishedFace } from "../prompt/prompt-state.ts";
import { requireTenantBySlug, type TenantRow } from "./tenant-lookup.ts";

/**
 * The public face of a tenant; settings that are not meant for visitors stay out. The welcome text and
 * the starters are the published ones (`face`), not the draft the owner is editing.
 */
export function toPublicTenant(row: TenantRow, face: PublishedFace): PublicTenant {
  const widget = row.settings.widget ?? {};
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    locale: row.locale === "en" ? "en" : "ru",
    welcomeText: face.welcomeText,
    starters: face.starters,
    chatLanguage: row.settings.chatLanguage ?? "auto",
    widget: {
      color: widget.color ?? null,
      position: widget.position === "left" ? "left" : "right",
      greeting: widget.greeting ?? null,
    },
    chat: {
      protected: row.settings.protectedEmbed === true,
      turnstileSiteKey: row.settings.turnstile?.siteKey ?? null,
      conversation: conversationPolicy(row.settings),
    },
  };
}

/** Looks a tenant up by slug; throws `tenant_not_found` when there is none. */
export async function getTenantBySlug(db: Database, slug: string): Promise<PublicTenant> {
  const row = await requireTenantBySlug(db, slug);
  return toPublicTenant(row, await readPublishedFace(db, row.id));
}
