import { describe, expect, it } from "vitest";
import {
  API_KEY_PATTERN,
  API_KEY_ROUTES,
  bearerApiKey,
  isChatKeyRequest,
  scopeForOperation,
  scopeForRoutePath,
} from "../../src/lib/api-key-routes.ts";
import { operationIdFor } from "../../src/routes/router.ts";

describe("the API-key allow-list", () => {
  it("opens only GET routes to read keys, and none that manage members, keys, profile or secrets", () => {
    for (const route of API_KEY_ROUTES.read) {
      // The one POST: CIP's own MCP server, whose tools only read (docs/mcp.md).
      expect(route).toMatch(/^(GET \/tenants\/\{tenant_id\}\/me\/|POST \/tenants\/\{tenant_id\}\/mcp$)/);
      expect(route).not.toMatch(/members|api-keys|profile|telegram|embed|budget|model|webhooks|mail/);
    }
  });

  it("opens only visitor chat routes to chat keys, not the widget token itself", () => {
    for (const route of API_KEY_ROUTES.chat)
      expect(route).toMatch(/^(GET|POST) \/tenants\/\{tenant_id\}\/chat/);
    expect(scopeForOperation("post", "/tenants/{tenant_id}/chat/widget-token")).toBeUndefined();
  });

  it("finds a route's scope by its OpenAPI path or by Hono's matched path", () => {
    expect(scopeForOperation("get", "/tenants/{tenant_id}/me/leads")).toBe("read");
    expect(scopeForOperation("post", "/tenants/{tenant_id}/me/leads")).toBeUndefined();
    expect(scopeForRoutePath("GET", "/api/v1/tenants/:tenant_id/me/dialogs/:dialog_id")).toBe("read");
    expect(scopeForRoutePath("GET", "/api/v1/tenants/:tenant_id/me/members")).toBeUndefined();
    expect(scopeForRoutePath("GET", "/tenants/:tenant_id/me/dialogs")).toBeUndefined();
  });

  it("matches concrete chat requests only on the listed method and shape", () => {
    const t = "00000000-0000-4000-8000-000000000001";
    expect(isChatKeyRequest("POST", `/api/v1/tenants/${t}/chat`)).toBe(true);
    expect(isChatKeyRequest("POST", `/api/v1/tenants/${t}/chat/message`)).toBe(true);
    expect(isChatKeyRequest("GET", `/api/v1/tenants/${t}/chat/${t}/stream`)).toBe(true);
    expect(isChatKeyRequest("GET", `/api/v1/tenants/${t}/chat/message`)).toBe(false);
    expect(isChatKeyRequest("POST", `/api/v1/tenants/${t}/chat/widget-token`)).toBe(false);
    expect(isChatKeyRequest("POST", `/api/v1/tenants/${t}/chat/${t}/stop/more`)).toBe(false);
  });

  it("tells a key from a JWT by its prefix", () => {
    expect(bearerApiKey(`Bearer cip_${"a".repeat(43)}`)).toBe(`cip_${"a".repeat(43)}`);
    expect(bearerApiKey("bearer cip_x")).toBe("cip_x");
    expect(bearerApiKey("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")).toBeUndefined();
    expect(bearerApiKey(undefined)).toBeUndefined();
    expect(API_KEY_PATTERN.test(`cip_${"A".repeat(42)}-`)).toBe(true);
    expect(API_KEY_PATTERN.test(`cip_${"A".repeat(42)}+`)).toBe(false);
  });
});

describe("operationIdFor", () => {
  it("names operations from the method and path, without the tenant prefix", () => {
    expect(operationIdFor("get", "/tenants/{tenant_id}/me/dialogs/{dialog_id}")).toBe(
      "getMeDialogsByDialogId",
    );
    expect(operationIdFor("post", "/tenants/{tenant_id}/chat/message")).toBe("postChatMessage");
    expect(operationIdFor("post", "/tenants")).toBe("postTenants");
    expect(operationIdFor("get", "/tenants/by-slug/{slug}")).toBe("getTenantsBySlugBySlug");
    expect(operationIdFor("delete", "/tenants/{tenant_id}/me/api-keys/{key_id}")).toBe(
      "deleteMeApiKeysByKeyId",
    );
  });
});
