import type { MiddlewareHandler } from "hono";
import { type DbHandle, openDatabase } from "../../db/client.ts";
import type { AppEnv } from "../../env.ts";

/**
 * Gives the request a lazy database: the connection opens on the first `c.var.db()` call and is closed
 * in `waitUntil` after the handler returns, so a request that needs no data makes no connection.
 * Handlers that stream must not touch the database after returning their Response.
 */
export function database(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let handle: DbHandle | undefined;
    c.set("db", () => {
      handle ??= openDatabase(c.env);
      return handle.db;
    });
    try {
      await next();
    } finally {
      if (handle) c.executionCtx.waitUntil(handle.close());
    }
  };
}
