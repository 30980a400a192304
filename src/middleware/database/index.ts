import type { Context, MiddlewareHandler } from "hono";
import { type DbHandle, openDatabase } from "../../db/client.ts";
import type { AppEnv } from "../../env.ts";
import { UUID_RE } from "../../lib/uuid.ts";
import { commitBeforeObjects } from "./commit-before-objects.ts";

/**
 * Gives the request a lazy database: the connection opens on the first `c.var.db()` call. Its queries
 * run in one transaction scoped (row-level security) to the request's tenant: the signed-in user's, or
 * the `tenant_id` path parameter. The transaction commits before the response leaves, so a client that
 * reads right after a write sees it; the connection closes in `waitUntil`.
 * Handlers that stream must not touch the database after returning their Response.
 */
export function database(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let handle: DbHandle | undefined;
    c.set("db", () => {
      handle ??= openDatabase(c.env, () => requestTenant(c));
      return handle.db;
    });
    const commit = async () => {
      await handle?.finish();
    };
    c.set("commit", commit);
    c.env = commitBeforeObjects(c.env, commit);
    try {
      await next();
    } finally {
      if (handle) {
        await handle.finish();
        c.executionCtx.waitUntil(handle.close());
      }
    }
  };
}

/** Read when a query runs, so it follows the route that is running (its params, its auth). */
function requestTenant(c: Context<AppEnv>): string | null {
  const authTenant = c.get("auth")?.tenantId;
  if (authTenant) return authTenant;
  const param = c.req.param("tenant_id");
  return param && UUID_RE.test(param) ? param : null;
}
