/**
 * Exports of the tenant's dialogs and leads, streamed as attachments page by page (docs/cabinet.md
 * "Exports"). Owners, or an API key with the `read` scope.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { TenantIdParam } from "../schemas/accounts.ts";
import { DialogExportQuery, ExportHeaders, LeadExportQuery } from "../schemas/exports.ts";
import { dialogExport } from "../services/exports/dialog-export.ts";
import { leadExport } from "../services/exports/lead-export.ts";
import { type ExportSource, pagedExport } from "../services/exports/paged-stream.ts";
import { exportRange } from "../services/exports/range.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const TYPES = { csv: "text/csv; charset=utf-8", jsonl: "application/x-ndjson; charset=utf-8" } as const;
const text = { schema: { type: "string" as const } };
const attachment = (description: string) => ({
  description,
  headers: ExportHeaders,
  content: { "text/csv": text, "application/x-ndjson": text },
});
const common = { tags: ["exports"] };

const dialogsRoute = ownerRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/dialogs/export",
  operationId: "exportDialogs",
  summary:
    "Download the dialogs: JSON lines (a dialog with its messages per line) or CSV (a row per message)",
  description:
    "Dialogs created within `from`..`to` (UTC days, both included), newest first, each with its messages in " +
    "order. Streamed: any size downloads without being held in memory. CSV is RFC 4180 with a UTF-8 BOM; a " +
    "text cell starting with = + - @ gets a leading ' so spreadsheets do not run it as a formula.",
  request: { params: TenantIdParam, query: DialogExportQuery },
  responses: { 200: attachment("The export") },
});

const leadsRoute = ownerRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/leads/export",
  operationId: "exportLeads",
  summary: "Download the leads as CSV (a row per lead) or JSON lines",
  description:
    "Leads found within `from`..`to` (UTC days, both included), newest first. CSV as for the dialogs export.",
  request: { params: TenantIdParam, query: LeadExportQuery },
  responses: { 200: attachment("The export") },
});

async function download(
  c: Context<AppEnv>,
  what: string,
  format: keyof typeof TYPES,
  source: ExportSource,
): Promise<Response> {
  // The export reads on its own connection: nothing of this request's transaction may hold it up.
  await c.var.commit();
  const body = await pagedExport(c.env, c.var.auth.tenantId, source);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": TYPES[format],
      "Content-Disposition": `attachment; filename="cip-${what}-${day}.${format}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export const exportRoutes = createRouter()
  .openapi(dialogsRoute, async (c) => {
    const { format, channel, ...days } = c.req.valid("query");
    const source = dialogExport(c.var.auth.tenantId, format, { ...exportRange(days), channel });
    return (await download(c, "dialogs", format, source)) as never;
  })
  .openapi(leadsRoute, async (c) => {
    const { format, ...days } = c.req.valid("query");
    const source = leadExport(c.var.auth.tenantId, format, exportRange(days));
    return (await download(c, "leads", format, source)) as never;
  });
