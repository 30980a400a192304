import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, ScopeLostError } from "../../src/db/errors.ts";
import { type QueryClient, TenantScopedClient } from "../../src/db/tenant-scope.ts";

const TENANT = "0b8e3c9e-5d3f-4c1a-9f0e-2a6b7c8d9e0f";

/** A driver that loses its session on the `failAt`-th statement and would silently answer after it. */
function flakyDriver(failAt: number): QueryClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async query(config: unknown) {
      const text = typeof config === "string" ? config : String((config as { text?: unknown }).text);
      sent.push(text);
      if (sent.length === failAt) {
        throw Object.assign(new Error("terminating connection due to administrator command"), {
          code: "57P01",
        });
      }
      return { rows: [], rowCount: 0 };
    },
  };
}

describe("TenantScopedClient after its connection is lost", () => {
  it("runs nothing more once a statement of the open transaction lost the connection", async () => {
    const driver = flakyDriver(2);
    const scope = new TenantScopedClient(driver, () => TENANT);
    await expect(scope.query("select 1")).rejects.toSatisfy(isDatabaseUnavailable);
    await expect(scope.query("select current_user")).rejects.toBeInstanceOf(ScopeLostError);
    await expect(scope.query("begin")).rejects.toBeInstanceOf(ScopeLostError);
    await expect(scope.once("select 1")).rejects.toBeInstanceOf(ScopeLostError);
    // BEGIN + scope, then the statement that failed: nothing after reached the driver.
    expect(driver.sent).toHaveLength(2);
    expect(driver.sent[0]).toMatch(/^begin; select set_config\('role', 'cip_app', true\)/);
  });

  it("reports a lost commit when the transaction had written", async () => {
    const driver = flakyDriver(3);
    const scope = new TenantScopedClient(driver, () => TENANT);
    await scope.query("insert into leads default values");
    await expect(scope.query("update leads set raw = raw")).rejects.toSatisfy(isDatabaseUnavailable);
    await expect(scope.finish()).rejects.toBeInstanceOf(ScopeLostError);
    expect(driver.sent).toHaveLength(3);
  });

  it("leaves an ordinary SQL error alone: the scope goes on", async () => {
    const sent: string[] = [];
    let first = true;
    const driver: QueryClient = {
      async query(config: unknown) {
        sent.push(String(config));
        if (sent.length === 2 && first) {
          first = false;
          throw Object.assign(new Error("syntax error"), { code: "42601" });
        }
        return { rows: [] };
      },
    };
    const scope = new TenantScopedClient(driver, () => TENANT);
    await expect(scope.query("selec 1")).rejects.toThrow("syntax error");
    await scope.finish();
    await expect(scope.query("select 1")).resolves.toEqual({ rows: [] });
  });
});
