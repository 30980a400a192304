/**
 * The receiving side of the webhook: who may call it (the secret Telegram echoes), what it carries (a
 * tolerant parse) and exactly-once claiming of each update id before any side effect.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { telegramBots, telegramUpdates, tenants } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { constantTimeEqual, sha256Hex } from "../../lib/crypto.ts";
import { log } from "../../lib/log.ts";
import { type TelegramUpdate, TelegramUpdateSchema } from "../../schemas/telegram.ts";
import type { TenantVoice } from "./texts.ts";

/** The connected bot of a tenant, with what the background work needs about the tenant. */
export interface WebhookBot {
  tenantId: string;
  botTokenEncrypted: string;
  tenant: TenantVoice;
}

/** Claims older than this are pruned now and then (Telegram stops redelivering after 24 h). */
const CLAIM_RETENTION = "3 days";
const PRUNE_EVERY_N_UPDATES = 100;

function unavailable(step: string, err: unknown): AppError {
  log("error", "telegram webhook storage failed", {
    step,
    error: err instanceof Error ? err.message.slice(0, 200) : String(err),
  });
  return new AppError("db_unavailable", "Storage is unavailable; Telegram will retry.");
}

/**
 * Checks `X-Telegram-Bot-Api-Secret-Token` against the stored SHA-256 in constant time; throws 401 on a
 * mismatch or when the tenant has no bot, 503 when the lookup itself fails.
 */
export async function authenticateWebhook(
  db: Database,
  tenantId: string,
  secret: string | undefined,
): Promise<WebhookBot> {
  let rows: Array<{
    encrypted: string;
    hash: string;
    name: string;
    locale: string;
    settings: unknown;
    welcome: string | null;
  }>;
  try {
    rows = await db
      .select({
        encrypted: telegramBots.botTokenEncrypted,
        hash: telegramBots.webhookSecretHash,
        name: tenants.name,
        locale: tenants.locale,
        settings: tenants.settings,
        // /start answers with the published welcome text, not the draft's (docs/cabinet.md).
        welcome: sql<string | null>`(select r.welcome_text from prompt_releases r
          where r.tenant_id = ${telegramBots.tenantId} order by r.version desc limit 1)`,
      })
      .from(telegramBots)
      .innerJoin(tenants, eq(tenants.id, telegramBots.tenantId))
      .where(eq(telegramBots.tenantId, tenantId));
  } catch (err) {
    throw unavailable("lookup", err);
  }
  const [row] = rows;
  const presented = await sha256Hex(secret ?? "");
  const matches = constantTimeEqual(presented, row?.hash ?? "0".repeat(64));
  if (!row || !secret || !matches) throw new AppError("unauthorized", "Unknown webhook secret.");
  return {
    tenantId,
    botTokenEncrypted: row.encrypted,
    tenant: { name: row.name, locale: row.locale, settings: publishedVoice(row.settings, row.welcome) },
  };
}

/** The tenant's settings with the draft's welcome text replaced by the published one. */
function publishedVoice(settings: unknown, welcome: string | null): TenantVoice["settings"] {
  const { welcomeText: _draft, ...rest } = (settings ?? {}) as TenantVoice["settings"];
  return welcome ? { ...rest, welcomeText: welcome } : rest;
}

/** Parses an update; anything unreadable is logged (without its content) and answered as ignored. */
export function parseUpdate(raw: string, tenantId: string): TelegramUpdate | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    log("warn", "telegram update is not JSON; ignored", { tenantId, bytes: raw.length });
    return null;
  }
  const parsed = TelegramUpdateSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".") || "(root)").slice(0, 5);
    log("warn", "telegram update not understood; ignored", { tenantId, fields });
    return null;
  }
  return parsed.data;
}

/**
 * Records the update id; true only for the first delivery. Concurrent deliveries race on the primary key
 * and exactly one wins. A storage failure throws 503 so Telegram delivers the update again.
 */
export async function claimUpdate(db: Database, tenantId: string, updateId: number): Promise<boolean> {
  let won: unknown[];
  try {
    won = await db
      .insert(telegramUpdates)
      .values({ tenantId, updateId })
      .onConflictDoNothing()
      .returning({ updateId: telegramUpdates.updateId });
  } catch (err) {
    throw unavailable("claim", err);
  }
  if (won.length > 0 && updateId % PRUNE_EVERY_N_UPDATES === 0) await pruneClaims(db, tenantId);
  return won.length > 0;
}

async function pruneClaims(db: Database, tenantId: string): Promise<void> {
  try {
    await db
      .delete(telegramUpdates)
      .where(
        sql`${telegramUpdates.tenantId} = ${tenantId} and ${telegramUpdates.receivedAt} < now() - ${CLAIM_RETENTION}::interval`,
      );
  } catch (err) {
    log("warn", "pruning old telegram update claims failed", {
      tenantId,
      error: err instanceof Error ? err.message.slice(0, 200) : String(err),
    });
  }
}
