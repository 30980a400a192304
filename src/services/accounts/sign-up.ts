import { tenants, users } from "../../db/schema.ts";
import { enterTenant } from "../../db/tenant-scope.ts";
import { AppError } from "../../errors.ts";
import { assertPasswordAcceptable, hashPassword } from "../../lib/passwords.ts";
import { authRules, enforceRateLimits } from "../platform/rate-limit.ts";
import { sendAccountMail } from "./account-mail.ts";
import { type AccountDeps, normalizeEmail } from "./context.ts";
import { createEmailToken } from "./email-tokens.ts";
import { tenantIdBySlug } from "./tenant-lookup.ts";

/** Slugs that would collide with pages, assets or well-known names. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "api",
  "admin",
  "assets",
  "www",
  "static",
  "app",
  "apps",
  "my",
  "me",
  "login",
  "logout",
  "register",
  "signup",
  "sign-up",
  "confirm",
  "reset-password",
  "chat",
  "widget",
  "embed",
  "docs",
  "doc",
  "help",
  "support",
  "mail",
  "email",
  "cdn",
  "status",
  "blog",
  "dashboard",
  "cabinet",
  "account",
  "accounts",
  "auth",
  "public",
  "health",
  "new",
  "settings",
  "about",
  "terms",
  "privacy",
  "billing",
  "root",
  "system",
  "tenants",
  "tenant",
  "telegram",
  "webhook",
  "openapi",
  "favicon",
  "robots",
  "sitemap",
  "cip",
  "null",
  "undefined",
]);

export interface SignUpInput {
  slug: string;
  name: string;
  email: string;
  password: string;
  locale?: "ru" | "en" | undefined;
}

export interface SignUpResult {
  id: string;
  slug: string;
  name: string;
  locale: string;
  owner: { id: string; email: string; role: "owner"; confirmed: false };
}

/** Creates a tenant and its (unconfirmed) owner in one transaction, then mails the confirmation link. */
export async function signUp(deps: AccountDeps, input: SignUpInput): Promise<SignUpResult> {
  if (RESERVED_SLUGS.has(input.slug)) {
    throw new AppError("validation_failed", `The address "${input.slug}" is reserved.`, {
      issues: [{ path: "slug", message: "This address is reserved; choose another." }],
    });
  }
  assertPasswordAcceptable(input.password);
  await enforceRateLimits(deps.env, authRules("signUp", deps.ip, "-"));
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const locale = input.locale ?? "ru";

  // No tenant is known yet: the directory view answers (the table shows only the scoped tenant's row).
  if (await tenantIdBySlug(deps.db, input.slug)) throw slugTaken(input.slug);

  const created = await deps.db
    .transaction(async (tx) => {
      // Scope the transaction to the new tenant first (row-level security): RETURNING reads its row, and
      // its own rows follow.
      const id = crypto.randomUUID();
      await enterTenant(tx, id);
      const [tenant] = await tx
        .insert(tenants)
        .values({ id, slug: input.slug, name: input.name, locale })
        .returning();
      if (!tenant) throw new Error("tenant insert returned nothing");
      const [owner] = await tx
        .insert(users)
        .values({ tenantId: tenant.id, email, passwordHash, role: "owner", tokensValidAfter: new Date() })
        .returning({ id: users.id });
      if (!owner) throw new Error("owner insert returned nothing");
      const token = await createEmailToken(tx, {
        tenantId: tenant.id,
        userId: owner.id,
        email,
        purpose: "confirm",
      });
      return { tenant, owner, token };
    })
    .catch((err: unknown) => {
      // Two sign-ups racing for one slug: the unique index decides.
      if (isUniqueViolation(err)) throw slugTaken(input.slug);
      throw err;
    });

  sendAccountMail(deps, "confirm", {
    to: email,
    tenant: created.tenant,
    userId: created.owner.id,
    token: created.token,
  });
  return {
    id: created.tenant.id,
    slug: created.tenant.slug,
    name: created.tenant.name,
    locale: created.tenant.locale,
    owner: { id: created.owner.id, email, role: "owner", confirmed: false },
  };
}

function slugTaken(slug: string): AppError {
  return new AppError("slug_taken", `The address "${slug}" is already taken.`);
}

/** Postgres unique_violation (23505), whichever driver raised it. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
