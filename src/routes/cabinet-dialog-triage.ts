/**
 * Dialog triage's writes (docs/cabinet.md, "Dialog triage"): archive or bring back a dialog (whoever may
 * see it), delete one for good (owners). Unread marks are written by opening a dialog (cabinet-dialogs.ts).
 */

import { forgetVisit } from "../durable-objects/visitor-directory.ts";
import { log } from "../lib/log.ts";
import { DialogParams } from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { DialogTriageBody, DialogTriageSchema } from "../schemas/triage.ts";
import { deleteDialog } from "../services/dialogs/dialog-delete.ts";
import { setArchived } from "../services/dialogs/dialog-triage.ts";
import { memberRoute, ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const path = "/tenants/{tenant_id}/me/dialogs/{dialog_id}";

const archiveRoute = memberRoute({
  method: "patch",
  path,
  tags: ["dialogs"],
  operationId: "updateDialogTriage",
  summary: "Archive a dialog (it leaves the default list) or bring it back",
  request: { params: DialogParams, body: { ...json("Archived or not", DialogTriageBody), required: true } },
  responses: { 200: json("The dialog's archive state", DialogTriageSchema), ...errorResponses(422) },
});

const deleteRoute = ownerRoute({
  method: "delete",
  path,
  tags: ["dialogs"],
  operationId: "deleteDialog",
  summary: "Delete a dialog for good: its messages everywhere; its leads stay, unlinked (owners)",
  request: { params: DialogParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(422) },
});

export const cabinetDialogTriageRoutes = createRouter()
  .openapi(archiveRoute, async (c) => {
    const { dialog_id } = c.req.valid("param");
    const state = await setArchived(c.var.db(), c.var.auth, dialog_id, c.req.valid("json").archived);
    return c.json(state, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { tenant_id, dialog_id } = c.req.valid("param");
    const gone = await deleteDialog(c.env, c.var.db(), c.var.auth, dialog_id);
    // The visitor's next message would find the id refused and start anew anyway; this spares that detour.
    if (gone.channel === "web") {
      await forgetVisit(c.env, tenant_id, gone.visitorId, dialog_id).catch((err: unknown) => {
        log("warn", "visitor directory forget failed", {
          error: err instanceof Error ? err.message : String(err),
        });
      });
    }
    return c.body(null, 204);
  });
