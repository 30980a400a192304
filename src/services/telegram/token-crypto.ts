/**
 * Bot tokens at rest: sealed for the tenant (lib/tenant-seal.ts) with the tenant id alone as additional
 * data (no purpose prefix: the format predates it), under the key of services/seal-key.ts.
 */
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { openForTenant, sealForTenant } from "../../lib/tenant-seal.ts";
import { sealKey } from "../seal-key.ts";

/** Encrypts a bot token for `tenantId`'s row. */
export async function encryptBotToken(env: Bindings, tenantId: string, token: string): Promise<string> {
  return sealForTenant(await sealKey(env), { tenantId }, token);
}

/** Decrypts a stored token; throws `misconfigured` when the key changed or the value was tampered with. */
export async function decryptBotToken(env: Bindings, tenantId: string, stored: string): Promise<string> {
  const token = await openForTenant(await sealKey(env), { tenantId }, stored);
  if (token === undefined) {
    throw new AppError("misconfigured", "The stored bot token cannot be decrypted; connect the bot again.");
  }
  return token;
}
