import { phoneLead } from "../../chat/leads.ts";
import type { Database } from "../../db/client.ts";
import { insertLeads } from "../../db/lead-insert.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { log } from "../../lib/log.ts";
import { leadItem } from "../webhooks/events.ts";

export interface IdentifyInput {
  tenantId: string;
  visitorId: string;
  dialogId?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  /** Already checked to be a phone (see `phoneLead`). */
  phone?: string | undefined;
}

export interface NewLead {
  kind: "email" | "phone";
  value: string;
  raw: string;
}

/** The leads an identify call makes: one per contact given, the name in the raw text. */
export function identifyLeads(input: Pick<IdentifyInput, "name" | "email" | "phone">): NewLead[] {
  const name = input.name?.trim();
  const leads: NewLead[] = [];
  if (input.email) {
    const email = input.email.trim().toLowerCase();
    leads.push({ kind: "email", value: email, raw: name ? `${name} <${email}>` : email });
  }
  if (input.phone) {
    const phone = phoneLead(input.phone);
    if (phone)
      leads.push({ kind: "phone", value: phone.value, raw: name ? `${name}, ${phone.raw}` : phone.raw });
  }
  return leads;
}

/** Stores the visitor's contact details; `stored` counts the leads the tenant did not have yet. */
export async function identifyVisitor(
  env: Bindings,
  db: () => Database,
  input: IdentifyInput,
  /** Commits the request's transaction (the new leads are announced only once they are stored). */
  commit: () => Promise<void> = async () => {},
): Promise<{ stored: number; dialog_id: string | null }> {
  const leads = identifyLeads(input);
  if (leads.length === 0) {
    throw new AppError("validation_failed", "Give an e-mail address or a phone number.", {
      issues: [{ path: "email", message: "Give an e-mail address or a phone number." }],
    });
  }
  if (input.dialogId) {
    const result = await env.DIALOGS.getByName(input.dialogId).identify(
      input.tenantId,
      input.visitorId,
      leads,
    );
    if (!result.ok) throw new AppError("not_found", "No such dialog.");
    return { stored: result.added, dialog_id: input.dialogId };
  }
  const rows = await db().execute<StoredLead>(insertLeads(input.tenantId, null, leads));
  if (rows.rows.length > 0) {
    await commit();
    await announce(env, input.tenantId, rows.rows);
  }
  return { stored: rows.rows.length, dialog_id: null };
}

type StoredLead = { id: string; kind: string; value: string; raw: string; created_at: string | Date };

/**
 * Hands leads new to the tenant (no dialog) to the tenant's outbox: `lead.created` and the owners'
 * alert, once the insert is committed. A failure is logged; the lead itself is stored either way.
 */
async function announce(env: Bindings, tenantId: string, rows: StoredLead[]): Promise<void> {
  const items = rows.map((r) =>
    leadItem(tenantId, { ...r, created_at: new Date(r.created_at).toISOString() }, null, null),
  );
  try {
    await env.OUTBOX.getByName(tenantId).enqueue(tenantId, items);
  } catch (err) {
    log("error", "identify: new leads not handed to the outbox", {
      tenantId,
      error: err instanceof Error ? err.message.slice(0, 200) : String(err),
    });
  }
}
