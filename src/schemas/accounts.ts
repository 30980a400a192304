import { z } from "@hono/zod-openapi";
import { PASSWORD_MAX } from "../lib/passwords.ts";
import { SlugSchema } from "./common.ts";
import { TenantNameSchema } from "./tenant-name.ts";

export const TenantIdParam = z.object({
  tenant_id: z.uuid().openapi({ param: { name: "tenant_id", in: "path" } }),
});

const Email = z.email().max(254).openapi({ example: "owner@example.com" });
/** Length and commonness are checked by the service, so the message can name the rule; never truncated. */
const Password = z
  .string()
  .min(1)
  .max(PASSWORD_MAX * 4)
  .openapi({ example: "correct horse battery" });
const Locale = z.enum(["ru", "en"]);
/** A display name Postgres can store: a NUL character would fail the write with a 500. */
const Name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !s.includes("\u0000"), "Must not contain NUL characters.");

export const SignUpBody = z
  .object({
    slug: SlugSchema,
    name: TenantNameSchema,
    email: Email,
    password: Password,
    locale: Locale.optional(),
  })
  .openapi("SignUp");

export const SignUpResponse = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    locale: z.string(),
    owner: z.object({ id: z.uuid(), email: z.string(), role: z.literal("owner"), confirmed: z.boolean() }),
  })
  .openapi("SignUpResult");

export const RegisterBody = z
  .object({ email: Email, password: Password, name: Name.optional() })
  .openapi("Register");

export const EmailBody = z.object({ email: Email }).openapi("EmailOnly");
export const LoginBody = z.object({ email: Email, password: Password }).openapi("Login");
export const ResetBody = z
  .object({ token: z.string().min(1).max(200), password: Password })
  .openapi("PasswordReset");

export const PendingResponse = z
  .object({ status: z.literal("pending_confirmation"), message: z.string() })
  .openapi("Pending");

export const TokenResponse = z
  .object({ access_token: z.string(), token_type: z.literal("bearer"), expires_in: z.number().int() })
  .openapi("AccessToken");

export const ConfirmQuery = z.object({ token: z.string().min(1).max(200) });
export const ConfirmResponse = z
  .object({ status: z.literal("confirmed"), tenant_id: z.uuid(), email: z.string() })
  .openapi("Confirmed");

export const ProfileSchema = z
  .object({
    id: z.uuid(),
    tenant_id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    locale: Locale.nullable(),
    role: z.enum(["owner", "member"]),
    confirmed_at: z.string().nullable(),
    created_at: z.string(),
    notify_leads: z.boolean().openapi({
      description: "Alerts about new leads (owners): by e-mail, and by the tenant's bot once linked",
    }),
    telegram_linked: z
      .boolean()
      .openapi({ description: "Own Telegram chat linked (…/me/telegram/owner-link)" }),
    access_token: TokenResponse.optional(),
  })
  .openapi("Profile");

export const ProfilePatchBody = z
  .object({
    name: Name.nullable().optional(),
    locale: Locale.optional(),
    notify_leads: z.boolean().optional(),
    current_password: Password.optional(),
    new_password: Password.optional(),
  })
  .strict()
  .openapi("ProfilePatch");

export const MemberSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(["owner", "member"]),
    confirmed: z.boolean(),
    created_at: z.string(),
  })
  .openapi("Member");

export const MemberParams = TenantIdParam.extend({
  user_id: z.uuid().openapi({ param: { name: "user_id", in: "path" } }),
});
export const MemberPatchBody = z.object({ role: z.enum(["owner", "member"]) }).openapi("MemberPatch");
