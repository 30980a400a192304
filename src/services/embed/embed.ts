/**
 * Embedding a tenant's chat on other sites: the snippets the cabinet shows, the allowed origins (tenant
 * settings), and the pure rules both CORS on the chat API and CSP `frame-ancestors` on the embed page use.
 * An empty allow-list means an open widget: any site may embed the chat and call the chat API.
 */

import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { type TenantSettings, tenants } from "../../db/schema.ts";
import { patchTenantSettings } from "../../db/tenant-settings.ts";
import { AppError } from "../../errors.ts";
import { normalizeOrigin } from "../../lib/origin.ts";
import {
  type ProtectionInput,
  type ProtectionView,
  protectionPatch,
  protectionView,
} from "./embed-protection.ts";

/** What `GET .../me/embed` answers. */
export { normalizeOrigin };

export interface EmbedInfo extends ProtectionView {
  chat_url: string;
  embed_url: string;
  iframe_html: string;
  script_html: string;
  allowed_origins: string[];
  widget: { color: string | null; position: "left" | "right"; greeting: string | null };
  /** The chat UI's language: the visitor's browser language (`auto`) or pinned. */
  chat_language: "auto" | "ru" | "en";
}

/** What `PUT .../me/embed/settings` stores (origins already normalized). */
export interface EmbedSettingsInput extends ProtectionInput {
  allowed_origins: string[];
  widget?: TenantSettings["widget"] | undefined;
  chat_language?: "auto" | "ru" | "en" | undefined;
}

/**
 * Whether a browser page at `origin` may use the chat: the app's own origins and the listed ones; any
 * page at all (opaque `null` origins of sandboxed frames included) when nothing is listed.
 */
export function isOriginAllowed(origin: string, allowedOrigins: string[], selfOrigins: string[]): boolean {
  if (allowedOrigins.length === 0) return true;
  const normalized = normalizeOrigin(origin);
  if (normalized === null) return false;
  return selfOrigins.includes(normalized) || allowedOrigins.includes(normalized);
}

/**
 * The CSP `frame-ancestors` directive of a tenant's embed page: its own origin plus the allowed origins,
 * or `*` (any http/https page) when the list is empty. Entries that are not clean origins are dropped, so
 * a stored value can never inject another directive.
 */
export function frameAncestors(allowedOrigins: string[], selfOrigin: string): string {
  const clean = allowedOrigins.map(normalizeOrigin).filter((o): o is string => o !== null);
  if (allowedOrigins.length === 0) return "frame-ancestors *";
  const self = normalizeOrigin(selfOrigin);
  const sources = new Set(["'self'", ...(self ? [self] : []), ...clean]);
  return `frame-ancestors ${[...sources].join(" ")}`;
}

/** Escapes text for an HTML attribute value in double quotes. */
function attr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The cabinet's embed view of a tenant, built from its row and the public base URL. */
export function buildEmbed(
  tenant: { slug: string; name: string; settings: TenantSettings },
  baseUrl: string,
): EmbedInfo {
  const chatUrl = `${baseUrl}/${encodeURIComponent(tenant.slug)}/chat`;
  const embedUrl = `${chatUrl}/embed`;
  const iframe =
    `<iframe src="${attr(embedUrl)}" title="${attr(`${tenant.name} — chat`)}" width="400" height="600" ` +
    `style="border:0;width:100%;max-width:400px;height:600px;" allow="clipboard-write" loading="lazy" ` +
    `referrerpolicy="strict-origin-when-cross-origin"></iframe>`;
  const script = `<script src="${attr(`${baseUrl}/widget.js`)}" data-tenant="${attr(tenant.slug)}" async></script>`;
  const widget = tenant.settings.widget ?? {};
  return {
    chat_url: chatUrl,
    embed_url: embedUrl,
    iframe_html: iframe,
    script_html: script,
    allowed_origins: tenant.settings.allowedOrigins ?? [],
    widget: {
      color: widget.color ?? null,
      position: widget.position === "left" ? "left" : "right",
      greeting: widget.greeting ?? null,
    },
    chat_language: tenant.settings.chatLanguage ?? "auto",
    ...protectionView(tenant.settings),
  };
}

/** The embed view of a tenant. */
export async function getEmbed(db: Database, tenantId: string, baseUrl: string): Promise<EmbedInfo> {
  const [row] = await db
    .select({ slug: tenants.slug, name: tenants.name, settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return buildEmbed(row, baseUrl);
}

/**
 * Replaces the allowed origins and, when given, the widget look, the chat language, protection, Turnstile (`seal` encrypts
 * its secret) and conversation policy. The JSON is merged in the database (`settings - removed || patch`),
 * so other settings written at the same time (base prompt, welcome text) survive.
 */
export async function updateEmbedSettings(
  db: Database,
  tenantId: string,
  input: EmbedSettingsInput,
  baseUrl: string,
  seal: (secret: string) => Promise<string> = () =>
    Promise.reject(new AppError("misconfigured", "Secrets cannot be stored here.")),
): Promise<EmbedInfo> {
  const extra = await protectionPatch(db, tenantId, input, seal);
  const patch: TenantSettings = { ...extra.patch, allowedOrigins: [...new Set(input.allowed_origins)] };
  if (input.widget) patch.widget = input.widget;
  if (input.chat_language) patch.chatLanguage = input.chat_language;
  return buildEmbed(await patchTenantSettings(db, tenantId, patch, extra.remove), baseUrl);
}
