/** A signed-in user's saved items (bookmarks): list, save, delete; each user sees only its own. */
import {
  SavedCreateBody,
  SavedItemSchema,
  SavedListQuery,
  SavedPageSchema,
  SavedParams,
  TenantIdParam,
} from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { createSavedItem, deleteSavedItem, listSavedItems } from "../services/dialogs/saved-items.ts";
import { memberRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["saved"] };

const listRoute = memberRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/saved",
  summary: "Your saved items, newest first",
  request: { params: TenantIdParam, query: SavedListQuery },
  responses: { 200: ok("A page of saved items", SavedPageSchema), ...errorResponses(422) },
});

const createSavedRoute = memberRoute({
  ...common,
  method: "post",
  path: "/tenants/{tenant_id}/me/saved",
  summary: "Save a message, lead or gallery image (by id in `ref`), or a note",
  request: { params: TenantIdParam, body: { ...json(SavedCreateBody), required: true } },
  responses: { 201: ok("Saved", SavedItemSchema), ...errorResponses(400, 409, 422) },
});

const deleteRoute = memberRoute({
  ...common,
  method: "delete",
  path: "/tenants/{tenant_id}/me/saved/{item_id}",
  summary: "Delete a saved item",
  request: { params: SavedParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(422) },
});

export const cabinetSavedRoutes = createRouter()
  .openapi(listRoute, async (c) =>
    c.json(await listSavedItems(c.var.db(), c.var.auth, c.req.valid("query")), 200),
  )
  .openapi(createSavedRoute, async (c) =>
    c.json(await createSavedItem(c.var.db(), c.var.auth, c.req.valid("json")), 201),
  )
  .openapi(deleteRoute, async (c) => {
    await deleteSavedItem(c.var.db(), c.var.auth, c.req.valid("param").item_id);
    return c.body(null, 204);
  });
