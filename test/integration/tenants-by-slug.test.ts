import { describe, expect, it } from "vitest";
import { call, readError } from "../helpers/http.ts";

describe("GET /api/v1/tenants/by-slug/{slug}", () => {
  it("returns the demo tenant created by the migration", async () => {
    const res = await call("/api/v1/tenants/by-slug/demo");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: "00000000-0000-4000-8000-000000000001",
      slug: "demo",
      name: "CIP Demo",
      locale: "ru",
      widget: { position: "right" },
    });
    expect(typeof body.welcomeText).toBe("string");
    expect(res.headers.get("cache-control")).toContain("max-age");
  });

  it("shows nothing but the public fields", async () => {
    const body = (await (await call("/api/v1/tenants/by-slug/demo")).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      "chat",
      "chatLanguage",
      "id",
      "locale",
      "name",
      "slug",
      "starters",
      "welcomeText",
      "widget",
    ]);
    // `chat` says how the chat pages behave; never a secret (the Turnstile secret stays in the database).
    expect(Object.keys(body.chat as object).sort()).toEqual([
      "conversation",
      "protected",
      "turnstileSiteKey",
    ]);
  });

  it("answers 404 in the envelope for an unknown slug", async () => {
    const res = await call("/api/v1/tenants/by-slug/no-such-tenant");
    expect(res.status).toBe(404);
    expect((await readError(res)).error.code).toBe("tenant_not_found");
  });

  it.each(["ab", "UPPER", "-lead", "a_b", "x".repeat(41), "..%2F..%2Fetc"])(
    "refuses the malformed slug %s with 422",
    async (slug) => {
      const res = await call(`/api/v1/tenants/by-slug/${slug}`);
      expect(res.status).toBe(422);
      const body = await readError(res);
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.issues?.[0]?.path).toBe("slug");
    },
  );
});
