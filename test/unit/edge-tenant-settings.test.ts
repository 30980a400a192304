import { afterEach, describe, expect, it, vi } from "vitest";
import type { TenantSettings } from "../../src/db/schema.ts";
import type { Bindings } from "../../src/env.ts";
import {
  EDGE_MISSING_TTL_MS,
  edgeTenantSettings,
  forgetEdgeSettings,
} from "../../src/services/embed/edge-tenant-settings.ts";

/** A TENANTS namespace that knows the given tenants and counts what it is asked. */
function fakeTenants(known: Record<string, TenantSettings>) {
  const asked: string[] = [];
  const env = {
    TENANTS: {
      getByName: (id: string) => ({
        settings: async () => {
          asked.push(id);
          return known[id] ?? null;
        },
      }),
    },
  } as unknown as Pick<Bindings, "TENANTS">;
  return { env, asked };
}

describe("edgeTenantSettings", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("remembers an unknown tenant for a short while, then asks again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const id = crypto.randomUUID();
    const { env, asked } = fakeTenants({});
    for (let i = 0; i < 10; i++) expect(await edgeTenantSettings(env, id)).toBeNull();
    expect(asked).toEqual([id]);
    vi.setSystemTime(Date.now() + EDGE_MISSING_TTL_MS + 1);
    expect(await edgeTenantSettings(env, id)).toBeNull();
    expect(asked).toEqual([id, id]);
  });

  it("keeps a real tenant cached while a flood of made-up ids comes and goes", async () => {
    const real = crypto.randomUUID();
    const { env, asked } = fakeTenants({ [real]: { allowedOrigins: ["https://shop.example"] } });
    expect(await edgeTenantSettings(env, real)).toEqual({ allowedOrigins: ["https://shop.example"] });
    for (let i = 0; i < 6000; i++) await edgeTenantSettings(env, crypto.randomUUID());
    const before = asked.length;
    expect(await edgeTenantSettings(env, real)).toEqual({ allowedOrigins: ["https://shop.example"] });
    expect(asked.length).toBe(before);
  });

  it("forgets a tenant on a change, found or missing", async () => {
    const id = crypto.randomUUID();
    const known: Record<string, TenantSettings> = {};
    const { env, asked } = fakeTenants(known);
    expect(await edgeTenantSettings(env, id)).toBeNull();
    known[id] = { protectedEmbed: true };
    forgetEdgeSettings(id);
    expect(await edgeTenantSettings(env, id)).toEqual({ protectedEmbed: true });
    expect(asked).toEqual([id, id]);
  });
});
