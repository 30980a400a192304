/**
 * The typed client of docs/api-clients.md: openapi-fetch over the types openapi-typescript generates
 * from /api/v1/openapi.json (`npm run api:types` writes ./cip-api.d.ts). A server calls the chat with
 * an API key of scope `chat`, and reads leads with one of scope `read`.
 */
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./cip-api";

export type CipClient = Client<paths>;
export type Lead = components["schemas"]["Lead"];

/** A client for one CIP deployment, authenticated with an API key (`cip_…`). */
export function cipClient(baseUrl: string, apiKey: string, fetchImpl?: typeof fetch): CipClient {
  return createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${apiKey}` },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/** One visitor message, the whole reply back as JSON (no widget token needed with a `chat` key). */
export async function ask(
  client: CipClient,
  tenantId: string,
  visitor: string,
  message: string,
  dialogId?: string,
): Promise<{ reply: string; dialogId: string }> {
  const { data, error, response } = await client.POST("/api/v1/tenants/{tenant_id}/chat/message", {
    params: { path: { tenant_id: tenantId } },
    body: { user_id: visitor, message, ...(dialogId ? { dialog_id: dialogId } : {}) },
  });
  if (error) throw new Error(`chat failed: ${response.status} ${error.error.code}: ${error.error.message}`);
  return { reply: data.reply, dialogId: data.dialog_id };
}

/** The newest leads (needs a `read` key). */
export async function newestLeads(client: CipClient, tenantId: string, limit = 50): Promise<Lead[]> {
  const { data, error, response } = await client.GET("/api/v1/tenants/{tenant_id}/me/leads", {
    params: { path: { tenant_id: tenantId }, query: { limit } },
  });
  if (error) throw new Error(`leads failed: ${response.status} ${error.error.code}`);
  return data.items;
}
