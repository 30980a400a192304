/**
 * Sending a failed account mail again, from the owner's cabinet: the mail is rebuilt for the account as
 * it is now (its current address, a fresh single-use token for confirmation and reset links, as
 * `mailNewToken` makes them), sent right away, and the delivery row records the outcome.
 */
import { and, eq, sql } from "drizzle-orm";
import { mailDeliveries, tenants, users } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { log } from "../../lib/log.ts";
import { redactEmails } from "../../lib/redact.ts";
import type { AccountMailKind } from "../../mail/templates.ts";
import { enforceRateLimits } from "../platform/rate-limit.ts";
import { buildAccountMail } from "./account-mail.ts";
import type { AccountDeps } from "./context.ts";
import { createEmailToken } from "./email-tokens.ts";
import { type MailDelivery, mailErrorText, toDelivery } from "./mail-deliveries.ts";
import { takeRecipientSlot } from "./recipient-limit.ts";

const KINDS: readonly AccountMailKind[] = ["confirm", "reset", "already_registered"];

/** Per mail and per tenant, so a retry button cannot become a way to flood someone's inbox. */
export const RETRY_LIMITS = {
  perDelivery: { limit: 5, windowSeconds: 3600 },
  perTenant: { limit: 60, windowSeconds: 3600 },
} as const;

/**
 * Sends the recorded mail again and answers the updated delivery: `sent`, or `failed` with the new error
 * and one more attempt. Unknown or another tenant's delivery: 404; already sent, an account that is gone,
 * or a confirmation for an address confirmed since: 409. `commit` makes the new token durable before
 * the mail carrying it leaves.
 */
export async function retryMailDelivery(
  deps: AccountDeps,
  commit: () => Promise<void>,
  tenantId: string,
  deliveryId: string,
): Promise<MailDelivery> {
  const [row] = await deps.db
    .select()
    .from(mailDeliveries)
    .where(and(eq(mailDeliveries.id, deliveryId), eq(mailDeliveries.tenantId, tenantId)));
  if (!row) throw new AppError("not_found", "No such mail delivery.");
  if (row.status === "sent") throw new AppError("conflict", "This mail has been delivered already.");
  const kind = KINDS.find((k) => k === row.kind);
  if (!kind) throw new AppError("conflict", "This kind of mail cannot be sent again.");
  const [user] = row.userId
    ? await deps.db
        .select({ id: users.id, email: users.email, confirmedAt: users.confirmedAt })
        .from(users)
        .where(and(eq(users.id, row.userId), eq(users.tenantId, tenantId)))
    : [];
  if (!user) throw new AppError("conflict", "The account this mail was for no longer exists.");
  if (kind === "confirm" && user.confirmedAt) {
    throw new AppError("conflict", "The address has been confirmed since; there is nothing to send.");
  }
  await enforceRateLimits(deps.env, [
    { key: `mail-retry:delivery:${row.id}`, ...RETRY_LIMITS.perDelivery },
    { key: `mail-retry:tenant:${tenantId}`, ...RETRY_LIMITS.perTenant },
  ]);
  // The platform-wide cap per recipient holds for retries too (recipient-limit.ts).
  const slot = await takeRecipientSlot(deps.env, user.email);
  if (!slot.allowed) {
    throw new AppError("rate_limited", "This address has had enough mail for now. Try again later.", {
      retryAfter: slot.retryAfter,
    });
  }
  const [tenant] = await deps.db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, locale: tenants.locale })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw new AppError("tenant_not_found", "No such tenant.");

  const token =
    kind === "already_registered"
      ? undefined
      : await createEmailToken(deps.db, { tenantId, userId: user.id, email: user.email, purpose: kind });
  // The link must work the moment the mail lands, so the token is committed before it leaves.
  await commit();
  let error: string | null = null;
  try {
    await deps.mailer.send(buildAccountMail(deps.baseUrl, kind, { to: user.email, tenant, token }));
  } catch (err) {
    error = mailErrorText(err, [token, token && encodeURIComponent(token)]);
    log("warn", "account mail retry not delivered", {
      kind,
      tenant: tenant.slug,
      error: redactEmails(error),
    });
  }
  const [updated] = await deps.db
    .update(mailDeliveries)
    .set({
      status: error ? "failed" : "sent",
      error,
      toEmail: user.email,
      attempts: sql`${mailDeliveries.attempts} + 1`,
      lastAttemptAt: new Date(),
    })
    .where(and(eq(mailDeliveries.id, row.id), eq(mailDeliveries.tenantId, tenantId)))
    .returning();
  if (!updated) throw new AppError("not_found", "No such mail delivery.");
  return toDelivery(updated);
}
