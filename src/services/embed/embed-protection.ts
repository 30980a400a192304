/**
 * The embed settings beyond origins and look (issue 9): protected embed, Turnstile and the conversation
 * policy. Turns what the owner sent (`PUT .../me/embed/settings`) into a settings patch, and the stored
 * settings into what `GET .../me/embed` shows. The Turnstile secret is sealed by the caller's `seal`
 * (AES-GCM, src/services/turnstile/secret.ts) and never shown again: only `has_secret`.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { type TenantSettings, tenants } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";

export type ConversationPolicy = NonNullable<TenantSettings["conversation"]>["policy"];

/** The new settings, as the API names them (all optional: what is left out stays). */
export interface ProtectionInput {
  protected_embed?: boolean | undefined;
  /** null removes Turnstile; without `secret` the stored one is kept (a site key change only). */
  turnstile?:
    | { site_key: string; secret?: string | undefined; every_messages?: number | null | undefined }
    | null
    | undefined;
  conversation?: { policy: ConversationPolicy; hours?: number | undefined } | undefined;
}

/** What the owner sees of them. */
export interface ProtectionView {
  protected_embed: boolean;
  turnstile: { site_key: string; has_secret: boolean; every_messages: number | null } | null;
  conversation: { policy: ConversationPolicy; hours: number | null };
}

/** The public side of the conversation policy, with its default (`keep`). */
export function conversationPolicy(settings: TenantSettings): ProtectionView["conversation"] {
  const c = settings.conversation;
  if (c?.policy === "reset_after_hours" && typeof c.hours === "number")
    return { policy: c.policy, hours: c.hours };
  if (c?.policy === "new_on_reload") return { policy: c.policy, hours: null };
  return { policy: "keep", hours: null };
}

export function protectionView(settings: TenantSettings): ProtectionView {
  const t = settings.turnstile;
  return {
    protected_embed: settings.protectedEmbed === true,
    turnstile: t
      ? {
          site_key: t.siteKey,
          has_secret: Boolean(t.secretEncrypted),
          every_messages: t.everyMessages ?? null,
        }
      : null,
    conversation: conversationPolicy(settings),
  };
}

/**
 * The settings patch for `input` and the top-level keys to remove. Keeping the stored secret with a new
 * site key reads it first; giving a site key without any secret stored is a 422.
 */
export async function protectionPatch(
  db: Database,
  tenantId: string,
  input: ProtectionInput,
  seal: (secret: string) => Promise<string>,
): Promise<{ patch: TenantSettings; remove: (keyof TenantSettings)[] }> {
  const patch: TenantSettings = {};
  const remove: (keyof TenantSettings)[] = [];
  if (input.protected_embed !== undefined) patch.protectedEmbed = input.protected_embed;
  if (input.conversation) {
    const { policy, hours } = input.conversation;
    patch.conversation = policy === "reset_after_hours" ? { policy, hours: hours ?? 24 } : { policy };
  }
  if (input.turnstile === null) remove.push("turnstile");
  else if (input.turnstile) {
    const { site_key, secret, every_messages } = input.turnstile;
    let secretEncrypted = secret ? await seal(secret) : undefined;
    if (!secretEncrypted) {
      const [row] = await db
        .select({ stored: sql<unknown>`${tenants.settings} #>> '{turnstile,secretEncrypted}'` })
        .from(tenants)
        .where(eq(tenants.id, tenantId))
        .limit(1);
      if (typeof row?.stored !== "string" || !row.stored) {
        throw new AppError("validation_failed", "Turnstile needs its secret key too.", {
          issues: [
            { path: "turnstile.secret", message: "Give the secret key that belongs to this site key." },
          ],
        });
      }
      secretEncrypted = row.stored;
    }
    patch.turnstile = { siteKey: site_key, secretEncrypted };
    if (every_messages) patch.turnstile.everyMessages = every_messages;
  }
  return { patch, remove };
}
