/** The platform operator in tests: a fresh tenant made the platform tenant through env overrides. */
import { bearer, callAppDirect, type Owner, seedOwner } from "./accounts.ts";

export interface Platform {
  operator: Owner;
  /** The env that makes `operator` an operator (pass to `callAppDirect`). */
  overrides: { PLATFORM_TENANT_SLUG: string; PLATFORM_ADMINS: string };
}

/** Signs up a tenant and makes its owner the (only listed) operator. */
export async function seedPlatform(): Promise<Platform> {
  const operator = await seedOwner({ locale: "en" });
  return {
    operator,
    overrides: {
      PLATFORM_TENANT_SLUG: operator.slug,
      PLATFORM_ADMINS: `someone-else@example.com, ${operator.email.toUpperCase()}`,
    },
  };
}

/** Calls the app with the platform's env (`token` as the bearer, when given). */
export function platformCall(
  p: Platform,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = p.operator.token,
  headers: Record<string, string> = {},
): Promise<Response> {
  return callAppDirect(method, path, body, {
    overrides: p.overrides,
    headers: { ...(token ? bearer(token) : {}), ...headers },
  });
}
