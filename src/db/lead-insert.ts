import { type SQL, sql } from "drizzle-orm";
import { pgSafe } from "./pg-safe.ts";

/**
 * The one statement that stores leads: each (kind, value) once per tenant (a lead already known is left
 * as it is), linked to `dialogId` when there is one, answering the rows it really inserted. Used on its
 * own (`cip:identify` without a dialog) and as a step of the dialog sync statement.
 */
export function insertLeads(
  tenantId: string,
  dialogId: string | null,
  leads: Array<{ kind: string; value: string; raw: string }>,
): SQL {
  return sql`insert into leads (tenant_id, dialog_id, kind, value, raw)
    select ${tenantId}, ${dialogId}, x.kind, x.value, x.raw
    from jsonb_to_recordset(${JSON.stringify(pgSafe(leads))}::jsonb) as x(kind text, value text, raw text)
    on conflict (tenant_id, kind, value) do nothing
    returning id, kind, value, raw, created_at`;
}
