/**
 * Account mail the SMTP server did not take: one `mail_deliveries` row per failed mail (kind, address,
 * a cleaned-up error, attempts), so the owner sees it in the cabinet and can send it again
 * (src/services/accounts/mail-retry.ts). Failures happen after the response, so recording opens its own
 * connection instead of borrowing the request's (which is closed by then).
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { type DbEnv, openDatabase } from "../../db/client.ts";
import {
  decodeCursor,
  exactTimestamp,
  type KeysetPage,
  keysetPage,
  newestFirst,
  olderThan,
} from "../../db/keyset.ts";
import { mailDeliveries } from "../../db/schema.ts";
import { log } from "../../lib/log.ts";
import { redact } from "../../lib/redact.ts";

/** Longest error text kept; SMTP replies are short, stack-like messages are cut. */
export const MAIL_ERROR_MAX = 300;

/** A delivery as the API shows it. */
export interface MailDelivery {
  id: string;
  kind: string;
  to_email: string;
  user_id: string | null;
  status: "failed" | "sent";
  error: string | null;
  attempts: number;
  created_at: string;
  last_attempt_at: string;
}

/**
 * The error of a failed send as it may be stored and shown: one line, at most MAIL_ERROR_MAX characters,
 * without the mail's token or link (`secrets`) and without anything the log redactor strips (credentials
 * in URLs, bearer tokens, `password=` pairs).
 */
export function mailErrorText(err: unknown, secrets: Array<string | undefined>): string {
  let text = err instanceof Error ? err.message : String(err);
  for (const secret of secrets) {
    if (secret && secret.length >= 8) text = text.split(secret).join("[redacted]");
  }
  text = redact(text)
    .replace(/[?&]token=[^\s&"'<>]+/gi, "?token=[redacted]")
    .replace(/\s+/g, " ")
    .trim();
  if ([...text].length > MAIL_ERROR_MAX) text = `${[...text].slice(0, MAIL_ERROR_MAX - 1).join("")}…`;
  return text || "The mail server refused the message.";
}

/** What a failed account mail leaves behind for the owner. */
export interface FailedMail {
  tenantId: string;
  userId: string | null;
  kind: string;
  to: string;
  error: string;
}

/**
 * Records a failed mail on a connection of its own; never throws (the failure is already logged, and
 * a second failure must not become an unhandled rejection after the response).
 */
export async function recordMailFailure(env: DbEnv, failed: FailedMail): Promise<void> {
  const handle = openDatabase(env, () => failed.tenantId);
  try {
    await handle.db.insert(mailDeliveries).values({
      tenantId: failed.tenantId,
      userId: failed.userId,
      kind: failed.kind,
      toEmail: failed.to,
      status: "failed",
      error: failed.error,
    });
    await handle.finish();
  } catch (err) {
    log("error", "mail failure could not be recorded", {
      tenantId: failed.tenantId,
      kind: failed.kind,
      error: err instanceof Error ? err.message.slice(0, 200) : String(err),
    });
  } finally {
    await handle.close();
  }
}

type Row = typeof mailDeliveries.$inferSelect;

/** The API shape of a row; `at` is the exact last-attempt time the cursor needs. */
export function toDelivery(row: Row): MailDelivery {
  return {
    id: row.id,
    kind: row.kind,
    to_email: row.toEmail,
    user_id: row.userId,
    status: row.status,
    error: row.error,
    attempts: row.attempts,
    created_at: row.createdAt.toISOString(),
    last_attempt_at: row.lastAttemptAt.toISOString(),
  };
}

/** The tenant's recorded deliveries, latest attempt first, keyset-paged; `status` narrows them. */
export async function listMailDeliveries(
  db: Database,
  tenantId: string,
  query: { status?: "failed" | "sent" | undefined; cursor?: string | undefined; limit: number },
): Promise<KeysetPage<MailDelivery>> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await db
    .select({ row: mailDeliveries, at: exactTimestamp(mailDeliveries.lastAttemptAt) })
    .from(mailDeliveries)
    .where(
      and(
        eq(mailDeliveries.tenantId, tenantId),
        query.status ? eq(mailDeliveries.status, query.status) : undefined,
        cursor ? olderThan(mailDeliveries.lastAttemptAt, mailDeliveries.id, cursor) : undefined,
      ),
    )
    .orderBy(...newestFirst(mailDeliveries.lastAttemptAt, mailDeliveries.id))
    .limit(query.limit + 1);
  return keysetPage(
    rows,
    query.limit,
    (r) => ({ at: r.at, id: r.row.id }),
    (r) => toDelivery(r.row),
  );
}
