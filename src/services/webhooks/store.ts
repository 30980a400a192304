/**
 * The owner's webhooks in Postgres: make (the secret sealed, shown once), list, delete, and what the
 * delivering object needs (hooks with their secrets). Attempts are in attempts.ts.
 */
import { and, count, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { openDatabase } from "../../db/client.ts";
import { webhooks } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { log } from "../../lib/log.ts";
import { webhookUrlProblem } from "../../lib/public-url.ts";
import { MAX_WEBHOOKS_PER_TENANT, type WebhookEventType, type WebhookItem } from "../../schemas/webhooks.ts";
import { allowPrivateTargets, type DeliveryTarget } from "./deliver.ts";
import { decryptWebhookSecret, encryptWebhookSecret, newWebhookSecret } from "./secret.ts";

type Row = typeof webhooks.$inferSelect;

function toItem(row: Row): WebhookItem {
  return {
    id: row.id,
    url: row.url,
    events: row.events as WebhookEventType[],
    created_at: row.createdAt.toISOString(),
  };
}

/** Makes a hook; 422 for a URL that may not be called, 409 past the per-tenant limit. */
export async function createWebhook(
  db: Database,
  env: Bindings,
  tenantId: string,
  userId: string,
  input: { url: string; events: WebhookEventType[] },
): Promise<WebhookItem & { secret: string }> {
  const url = input.url.trim();
  const problem = webhookUrlProblem(url, allowPrivateTargets(env));
  if (problem) {
    throw new AppError("validation_failed", `The webhook URL cannot be used: ${problem}`, {
      issues: [{ path: "url", message: problem }],
    });
  }
  const events = [...new Set(input.events)];
  const id = crypto.randomUUID();
  const secret = newWebhookSecret();
  const secretEncrypted = await encryptWebhookSecret(env, tenantId, id, secret);
  return db.transaction(async (tx) => {
    // Two owners adding hooks at once queue on the tenant's row, so the limit holds.
    await tx.execute(sql`select id from tenants where id = ${tenantId} for update`);
    const [existing] = await tx.select({ n: count() }).from(webhooks).where(eq(webhooks.tenantId, tenantId));
    if ((existing?.n ?? 0) >= MAX_WEBHOOKS_PER_TENANT) {
      throw new AppError("conflict", `A tenant can have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks.`);
    }
    const [row] = await tx
      .insert(webhooks)
      .values({ id, tenantId, url, events, secretEncrypted, createdBy: userId })
      .returning();
    if (!row) throw new AppError("internal_error", "The webhook was not stored.");
    return { ...toItem(row), secret };
  });
}

export async function listWebhooks(db: Database, tenantId: string): Promise<WebhookItem[]> {
  const rows = await db
    .select()
    .from(webhooks)
    .where(eq(webhooks.tenantId, tenantId))
    .orderBy(webhooks.createdAt, webhooks.id);
  return rows.map(toItem);
}

/** Deletes a hook and its attempts; 404 when the tenant has no such hook. */
export async function deleteWebhook(db: Database, tenantId: string, webhookId: string): Promise<void> {
  const gone = await db
    .delete(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, webhookId)))
    .returning({ id: webhooks.id });
  if (gone.length === 0) throw new AppError("not_found", "No such webhook.");
}

/** A hook of the tenant with its plain secret; 404 when there is none. */
export async function webhookTarget(
  db: Database,
  env: Bindings,
  tenantId: string,
  webhookId: string,
): Promise<DeliveryTarget> {
  const [row] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, webhookId)));
  if (!row) throw new AppError("not_found", "No such webhook.");
  const secret = await decryptWebhookSecret(env, tenantId, row.id, row.secretEncrypted);
  return { id: row.id, url: row.url, events: row.events, secret };
}

/** Every hook of the tenant with its secret (hooks whose secret cannot be opened are left out, logged). */
export async function loadTargets(env: Bindings, tenantId: string): Promise<DeliveryTarget[]> {
  const handle = openDatabase(env, () => tenantId);
  try {
    const rows = await handle.db.select().from(webhooks).where(eq(webhooks.tenantId, tenantId));
    const targets: DeliveryTarget[] = [];
    for (const row of rows) {
      try {
        const secret = await decryptWebhookSecret(env, tenantId, row.id, row.secretEncrypted);
        targets.push({ id: row.id, url: row.url, events: row.events, secret });
      } catch (err) {
        log("error", "webhook secret unusable; its deliveries wait", {
          tenantId,
          webhookId: row.id,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return targets;
  } finally {
    await handle.close();
  }
}
