/** Sign-up, registration, e-mail confirmation, login, logout and password reset. */
import { createRoute, z } from "@hono/zod-openapi";
import {
  ConfirmQuery,
  ConfirmResponse,
  EmailBody,
  LoginBody,
  PendingResponse,
  RegisterBody,
  ResetBody,
  SignUpBody,
  SignUpResponse,
  TenantIdParam,
  TokenResponse,
} from "../schemas/accounts.ts";
import { errorResponses, SlugSchema } from "../schemas/common.ts";
import { login, revokeSessions } from "../services/accounts/login.ts";
import { completePasswordReset, requestPasswordReset } from "../services/accounts/password-reset.ts";
import { confirmEmail, registerMember, resendConfirmation } from "../services/accounts/registration.ts";
import { signUp } from "../services/accounts/sign-up.ts";
import { accountDeps } from "./account-deps.ts";
import { memberRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const tags = ["accounts"];

const signUpRoute = createRoute({
  method: "post",
  path: "/tenants",
  security: [],
  tags,
  summary: "Create a tenant and its owner; mails a confirmation link",
  request: { body: { ...json(SignUpBody), required: true } },
  responses: { 201: ok("Created", SignUpResponse), ...errorResponses(400, 409, 413, 422, 429) },
});
const registerRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/register",
  security: [],
  tags,
  summary: "Register a member (same answer for a known e-mail)",
  request: { params: TenantIdParam, body: { ...json(RegisterBody), required: true } },
  responses: { 202: ok("Mail on its way", PendingResponse), ...errorResponses(400, 404, 422, 429) },
});
const confirmRoute = createRoute({
  method: "get",
  path: "/tenants/by-slug/{slug}/confirm",
  security: [],
  tags,
  summary: "Confirm an e-mail address",
  request: { params: z.object({ slug: SlugSchema }), query: ConfirmQuery },
  responses: { 200: ok("Confirmed", ConfirmResponse), ...errorResponses(400, 404, 410, 422) },
});
const resendRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/confirm/resend",
  security: [],
  tags,
  summary: "Send the confirmation link again",
  request: { params: TenantIdParam, body: { ...json(EmailBody), required: true } },
  responses: { 202: ok("Mail on its way", PendingResponse), ...errorResponses(400, 404, 422, 429) },
});
const loginRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/login",
  security: [],
  tags,
  summary: "Sign in; returns a bearer token",
  request: { params: TenantIdParam, body: { ...json(LoginBody), required: true } },
  responses: { 200: ok("Signed in", TokenResponse), ...errorResponses(400, 401, 403, 404, 422, 429, 503) },
});
const logoutRoute = memberRoute({
  method: "post",
  path: "/tenants/{tenant_id}/logout",
  tags,
  summary: "End every session of the caller",
  request: { params: TenantIdParam },
  responses: { 204: { description: "Signed out" } },
});
const resetRequestRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/password/reset",
  security: [],
  tags,
  summary: "Mail a password reset link",
  request: { params: TenantIdParam, body: { ...json(EmailBody), required: true } },
  responses: { 202: ok("Mail on its way", PendingResponse), ...errorResponses(400, 404, 422, 429) },
});
const resetConfirmRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/password/reset/confirm",
  security: [],
  tags,
  summary: "Set a new password with a reset token",
  request: { params: TenantIdParam, body: { ...json(ResetBody), required: true } },
  responses: {
    200: ok("Changed", z.object({ status: z.literal("password_changed") })),
    ...errorResponses(400, 404, 410, 422),
  },
});

export const accountRoutes = createRouter()
  .openapi(signUpRoute, async (c) => c.json(await signUp(accountDeps(c), c.req.valid("json")), 201))
  .openapi(registerRoute, async (c) =>
    c.json(await registerMember(accountDeps(c), c.req.valid("param").tenant_id, c.req.valid("json")), 202),
  )
  .openapi(confirmRoute, async (c) =>
    c.json(await confirmEmail(accountDeps(c), c.req.valid("param").slug, c.req.valid("query").token), 200),
  )
  .openapi(resendRoute, async (c) =>
    c.json(
      await resendConfirmation(accountDeps(c), c.req.valid("param").tenant_id, c.req.valid("json").email),
      202,
    ),
  )
  .openapi(loginRoute, async (c) => {
    const token = await login(accountDeps(c), c.req.valid("param").tenant_id, c.req.valid("json"));
    c.header("Cache-Control", "no-store");
    return c.json(token, 200);
  })
  .openapi(logoutRoute, async (c) => {
    await revokeSessions({ db: c.var.db() }, c.var.auth.tenantId, c.var.auth.userId);
    return c.body(null, 204);
  })
  .openapi(resetRequestRoute, async (c) =>
    c.json(
      await requestPasswordReset(accountDeps(c), c.req.valid("param").tenant_id, c.req.valid("json").email),
      202,
    ),
  )
  .openapi(resetConfirmRoute, async (c) =>
    c.json(
      await completePasswordReset(accountDeps(c), c.req.valid("param").tenant_id, c.req.valid("json")),
      200,
    ),
  );
