/**
 * What an API key may call: the explicit allow-list (docs/api-clients.md). A key reaches only the
 * operations named here, for its scope; every other route refuses it (403 `api_key_not_allowed`), so a
 * new route is closed to keys until it is added on purpose. Paths are spelled as in the OpenAPI document
 * under /api/v1; the router documents each listed operation's key security from this same list.
 */

/** `read`: the GET routes of the tenant's data; `chat`: the visitor routes without a widget token. */
export type ApiKeyScope = "read" | "chat";

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["read", "chat"];

/** Keys start with this, so the auth layer tells them from JWTs (which start with `eyJ`). */
export const API_KEY_PREFIX = "cip_";

/** `cip_` + base64url of 32 random bytes (43 characters). */
export const API_KEY_PATTERN = /^cip_[A-Za-z0-9_-]{43}$/;

/** The GET routes of the tenant's data: dialogs, leads, chunks, usage, files, exports. */
const READ_ROUTES = [
  "GET /tenants/{tenant_id}/me/dialogs",
  "GET /tenants/{tenant_id}/me/dialogs/export",
  "GET /tenants/{tenant_id}/me/dialogs/{dialog_id}",
  "GET /tenants/{tenant_id}/me/leads",
  "GET /tenants/{tenant_id}/me/leads/export",
  "GET /tenants/{tenant_id}/me/prompt/chunks",
  "GET /tenants/{tenant_id}/me/usage",
  "GET /tenants/{tenant_id}/me/files",
  "GET /tenants/{tenant_id}/me/files/{file_id}",
  // CIP's own MCP server (docs/mcp.md): a POST, but its tools only read galleries and documents.
  "POST /tenants/{tenant_id}/mcp",
] as const;

/** The visitor routes a server may call for its visitors (each is guarded by `guardChat`). */
const CHAT_ROUTES = [
  "POST /tenants/{tenant_id}/chat",
  "POST /tenants/{tenant_id}/chat/message",
  "GET /tenants/{tenant_id}/chat/{dialog_id}/stream",
  "POST /tenants/{tenant_id}/chat/{dialog_id}/stop",
  "GET /tenants/{tenant_id}/chat/{dialog_id}/events",
  "POST /tenants/{tenant_id}/chat/identify",
  "POST /tenants/{tenant_id}/chat/{dialog_id}/messages/{message_id}/feedback",
] as const;

export const API_KEY_ROUTES: Readonly<Record<ApiKeyScope, readonly string[]>> = {
  read: READ_ROUTES,
  chat: CHAT_ROUTES,
};

/** "GET /a/{b}" for a method and an OpenAPI-style path (relative to /api/v1). */
export const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** The scope that opens an operation to keys (method + OpenAPI path under /api/v1), if any. */
export function scopeForOperation(method: string, path: string): ApiKeyScope | undefined {
  const key = routeKey(method, path);
  return API_KEY_SCOPES.find((scope) => API_KEY_ROUTES[scope].includes(key));
}

/** The scope for a route as Hono matched it (`/api/v1/tenants/:tenant_id/...`). */
export function scopeForRoutePath(method: string, routePath: string): ApiKeyScope | undefined {
  if (!routePath.startsWith("/api/v1/")) return undefined;
  const path = routePath.slice("/api/v1".length).replace(/:([A-Za-z0-9_]+)/g, "{$1}");
  return scopeForOperation(method, path);
}

const chatMatchers = CHAT_ROUTES.map((entry) => {
  const [method, path] = entry.split(" ") as [string, string];
  const pattern = path.replace(/\{[^}]+\}/g, "[^/]+");
  return { method, re: new RegExp(`^/api/v1${pattern}$`) };
});

/**
 * Whether a concrete request (method, URL path) is one of the chat-scope routes: for the middleware in
 * front of the visitor routes, which runs before a route is chosen.
 */
export function isChatKeyRequest(method: string, pathname: string): boolean {
  return chatMatchers.some((m) => m.method === method.toUpperCase() && m.re.test(pathname));
}

/** The credential of an `Authorization: Bearer …` header, if it is an API key (even a malformed one). */
export function bearerApiKey(header: string | undefined | null): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  const token = match?.[1];
  return token?.startsWith(API_KEY_PREFIX) ? token : undefined;
}
