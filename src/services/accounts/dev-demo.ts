/**
 * The demo cabinet under `npm run dev`: scripts/dev.ts makes the demo tenant's owner with a random
 * password each start and hands it to the Worker (DEV_DEMO_LOGIN=1, DEV_DEMO_EMAIL, DEV_DEMO_PASSWORD),
 * so the demo login page can offer "open the demo cabinet". Nothing here exists in a deployment: without
 * the flag, or for a request to a host that is not this machine's loopback, there is no demo login.
 */
import type { Bindings } from "../../env.ts";

/** The demo tenant made by migrations/0001_demo_tenant.sql. */
export const DEMO_TENANT = { id: "00000000-0000-4000-8000-000000000001", slug: "demo" } as const;

/** What the dev-only route answers. */
export interface DemoLogin {
  tenant_id: string;
  slug: string;
  email: string;
  password: string;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether `url` was asked of this machine's loopback (wrangler dev keeps the address the browser used). */
export function isLoopbackRequest(url: string): boolean {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The demo owner's sign-in, or null when this is not `npm run dev` on this machine. */
export function demoLogin(
  env: Pick<Bindings, "DEV_DEMO_LOGIN" | "DEV_DEMO_EMAIL" | "DEV_DEMO_PASSWORD">,
  url: string,
): DemoLogin | null {
  if (env.DEV_DEMO_LOGIN !== "1" || !env.DEV_DEMO_EMAIL || !env.DEV_DEMO_PASSWORD) return null;
  if (!isLoopbackRequest(url)) return null;
  return {
    tenant_id: DEMO_TENANT.id,
    slug: DEMO_TENANT.slug,
    email: env.DEV_DEMO_EMAIL,
    password: env.DEV_DEMO_PASSWORD,
  };
}
