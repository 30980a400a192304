/**
 * Deleting a dialog (an owner's, docs/cabinet.md "Dialog triage"): for good, from the dialog object and
 * from Postgres. The object goes first and waits for its running turn and sync to end, so nothing can
 * write the dialog's rows again once they are deleted here. In Postgres the messages and read marks go
 * with the dialog (foreign keys cascade), the visitors' ratings of its answers are deleted with it, its
 * leads stay (their `dialog_id` becomes null), and `usage_daily` keeps its counts (tokens were spent).
 */
import { and, eq } from "drizzle-orm";
import type { EraseReply } from "../../chat/dialog-contract.ts";
import type { Database } from "../../db/client.ts";
import { dialogs, messageFeedback } from "../../db/schema.ts";
import type { AuthContext, Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { visibleTo } from "./dialog-visibility.ts";

/** Deletes a dialog the caller may see (404 otherwise); returns who its visitor was. */
export async function deleteDialog(
  env: Bindings,
  db: Database,
  auth: AuthContext,
  dialogId: string,
): Promise<{ channel: "web" | "telegram" | "admin"; visitorId: string }> {
  // No row lock: the object's last sync may still update this row before the object answers.
  const [found] = await db
    .select({ channel: dialogs.channel, visitorId: dialogs.visitorId })
    .from(dialogs)
    .where(and(eq(dialogs.id, dialogId), visibleTo(auth)))
    .limit(1);
  if (!found) throw new AppError("not_found", "No such dialog.");
  const erased = (await env.DIALOGS.getByName(dialogId).erase(auth.tenantId)) as EraseReply;
  if (!erased.ok) throw new AppError(erased.code, erased.message);
  await db
    .delete(messageFeedback)
    .where(and(eq(messageFeedback.tenantId, auth.tenantId), eq(messageFeedback.dialogId, dialogId)));
  await db.delete(dialogs).where(and(eq(dialogs.tenantId, auth.tenantId), eq(dialogs.id, dialogId)));
  return found;
}
