/**
 * MCP request headers at rest: the JSON object sealed for the tenant and the server's row
 * (`mcp:<tenant>:<server>` as additional data, lib/tenant-seal.ts), so the ciphertext opens for no other
 * tenant, row or purpose, and a server's secrets are only ever sent with requests to that server.
 */
import type { Bindings } from "../../env.ts";
import { openForTenant, sealForTenant } from "../../lib/tenant-seal.ts";
import { sealKey } from "../seal-key.ts";

const label = (tenantId: string, serverId: string) => ({ tenantId, purpose: "mcp", subject: serverId });

/** Seals the headers of a server; null when there are none. */
export async function sealMcpHeaders(
  env: Bindings,
  tenantId: string,
  serverId: string,
  headers: Record<string, string>,
): Promise<string | null> {
  if (Object.keys(headers).length === 0) return null;
  return sealForTenant(await sealKey(env), label(tenantId, serverId), JSON.stringify(headers));
}

/** The headers, `{}` when none were set, or undefined when the stored value no longer opens. */
export async function openMcpHeaders(
  env: Bindings,
  tenantId: string,
  serverId: string,
  sealed: string | null,
): Promise<Record<string, string> | undefined> {
  if (sealed === null) return {};
  const plain = await openForTenant(await sealKey(env), label(tenantId, serverId), sealed);
  if (plain === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(plain);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}
