/**
 * `GET /api/v1/dev/demo-login`: the demo owner's sign-in for the demo login page's "open the demo
 * cabinet", under `npm run dev` on this machine only (services/accounts/dev-demo.ts). Everywhere else,
 * every deployment included, it answers the API's plain 404.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../errors.ts";
import { errorResponses } from "../schemas/common.ts";
import { demoLogin } from "../services/accounts/dev-demo.ts";
import { createRouter } from "./router.ts";

const DemoLoginSchema = z
  .object({
    tenant_id: z.uuid().openapi({ description: "The demo tenant (migrations/0001_demo_tenant.sql)" }),
    slug: z.string().openapi({ example: "demo" }),
    email: z.string().openapi({ description: "The demo owner's e-mail" }),
    password: z.string().openapi({ description: "Random, new at every start of `npm run dev`" }),
  })
  .openapi("DevDemoLogin");

const route = createRoute({
  method: "get",
  path: "/dev/demo-login",
  tags: ["dev"],
  security: [],
  summary: "Development only: the demo owner's sign-in (404 unless `npm run dev` on a loopback host)",
  responses: {
    200: {
      description: "The demo owner's sign-in",
      content: { "application/json": { schema: DemoLoginSchema } },
    },
    ...errorResponses(404),
  },
});

export const devDemoRoutes = createRouter().openapi(route, (c) => {
  const login = demoLogin(c.env, c.req.url);
  if (!login) throw new AppError("not_found", "No route for GET /api/v1/dev/demo-login.");
  c.header("Cache-Control", "no-store");
  return c.json(login, 200);
});
