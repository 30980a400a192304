/** The owner's list of leads (contacts found in visitor messages). */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../middleware/auth/index.ts";
import { ChatParams } from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import { listLeads } from "../services/dialogs/leads.ts";
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

const listRoute = createRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/leads",
  summary: "Leads (e-mails and phones found in visitor messages), newest first",
  tags: ["leads"],
  security: [{ bearer: [] }],
  middleware: [requireAuth("owner")],
  request: {
    params: ChatParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().max(200).optional(),
      kind: z.enum(["email", "phone"]).optional(),
    }),
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
    ...errorResponses(401, 403, 422),
  },
});

export const leadRoutes = createRouter().openapi(listRoute, async (c) =>
  c.json(await listLeads(c.var.db(), c.var.auth.tenantId, c.req.valid("query")), 200),
);
