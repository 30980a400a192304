/** The owner's list of leads (contacts found in visitor messages). */
import { z } from "@hono/zod-openapi";
import { ChatParams } from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import { dateRangeShape, fromNotAfterTo } from "../schemas/triage.ts";
import { listLeads } from "../services/dialogs/leads.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const LeadSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(["email", "phone"]),
    value: z.string(),
    raw: z.string(),
    dialog_id: z.uuid().nullable(),
    created_at: z.string(),
  })
  .openapi("Lead");

const listRoute = ownerRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/leads",
  summary: "Leads (e-mails and phones found in visitor messages), newest first",
  tags: ["leads"],
  request: {
    params: ChatParams,
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: z.string().max(200).optional(),
        kind: z.enum(["email", "phone"]).optional(),
        ...dateRangeShape("creation time"),
      })
      .superRefine(fromNotAfterTo),
  },
  responses: {
    200: {
      description: "Leads, newest first",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(LeadSchema), next_cursor: z.string().nullable() }),
        },
      },
    },
    ...errorResponses(422),
  },
});

export const leadRoutes = createRouter().openapi(listRoute, async (c) =>
  c.json(await listLeads(c.var.db(), c.var.auth.tenantId, c.req.valid("query")), 200),
);
