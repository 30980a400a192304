/**
 * Human takeover in the cabinet (owners only): take a dialog over, release it, reply as the operator,
 * and follow the dialog live (SSE) while doing so.
 */
import { z } from "@hono/zod-openapi";
import { sseResponse } from "../chat/sse-format.ts";
import { DialogParams } from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  CABINET_FEED_DESCRIPTION,
  CabinetFeedQuery,
  FeedHeaders,
  OperatorMessageBody,
  OperatorReplySchema,
  TakeoverSchema,
} from "../schemas/takeover.ts";
import {
  openCabinetFeed,
  postOperatorMessage,
  type RequestDb,
  releaseDialog,
  takeOverDialog,
} from "../services/takeover/takeover.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["dialogs"];
const path = "/tenants/{tenant_id}/me/dialogs/{dialog_id}";

const takeOverRoute = ownerRoute({
  method: "post",
  path: `${path}/takeover`,
  tags,
  summary: "Take the dialog over: the model stays silent in it until released (owner)",
  request: { params: DialogParams },
  responses: {
    200: { description: "The dialog's takeover state", ...json(TakeoverSchema) },
    ...errorResponses(409, 422),
  },
});

const releaseRoute = ownerRoute({
  method: "delete",
  path: `${path}/takeover`,
  tags,
  summary: "Release the dialog: the model answers again (owner)",
  request: { params: DialogParams },
  responses: {
    200: { description: "The dialog's takeover state", ...json(TakeoverSchema) },
    ...errorResponses(409, 422),
  },
});

const messageRoute = ownerRoute({
  method: "post",
  path: `${path}/messages`,
  tags,
  summary: "Reply as the operator (takes the dialog over if nobody holds it) (owner)",
  request: { params: DialogParams, body: { ...json(OperatorMessageBody), required: true } },
  responses: {
    201: { description: "The stored reply and how it was delivered", ...json(OperatorReplySchema) },
    ...errorResponses(400, 409, 413, 422),
  },
});

const feedRoute = ownerRoute({
  method: "get",
  path: `${path}/events`,
  tags,
  summary: "Follow the dialog live: new messages and takeover changes (owner)",
  request: { params: DialogParams, query: CabinetFeedQuery, headers: FeedHeaders },
  responses: {
    200: { description: CABINET_FEED_DESCRIPTION, content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(409, 422),
  },
});

/** The request's database with the commit the service needs before it calls the dialog's object. */
const pg = (c: { var: { db: () => RequestDb["db"]; commit: () => Promise<void> } }): RequestDb => ({
  db: c.var.db(),
  commit: c.var.commit,
});

export const cabinetTakeoverRoutes = createRouter()
  .openapi(takeOverRoute, async (c) =>
    c.json(await takeOverDialog(c.env, pg(c), c.var.auth, c.req.valid("param").dialog_id), 200),
  )
  .openapi(releaseRoute, async (c) =>
    c.json(await releaseDialog(c.env, pg(c), c.var.auth, c.req.valid("param").dialog_id), 200),
  )
  .openapi(messageRoute, async (c) => {
    const { dialog_id } = c.req.valid("param");
    const reply = await postOperatorMessage(c.env, pg(c), c.var.auth, dialog_id, c.req.valid("json").text);
    return c.json(reply, 201);
  })
  .openapi(feedRoute, async (c) => {
    const afterSeq = c.req.valid("query").after_seq ?? Number(c.req.valid("header")["last-event-id"] ?? 0);
    const stream = await openCabinetFeed(c.env, pg(c), c.var.auth, c.req.valid("param").dialog_id, afterSeq);
    return sseResponse(stream) as never;
  });
