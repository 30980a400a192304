import { frontendBaseUrl } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import type { TenantSettings } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { createBuiltinKnowledge } from "./builtin.ts";
import { createHttpKnowledge } from "./http.ts";
import type { KnowledgeProvider } from "./types.ts";

/**
 * The knowledge provider the chat commands use: the tenant's external service when its settings name one
 * (`settings.knowledge.url`, docs/knowledge.md), else the built-in one (Postgres + R2). The database is
 * opened only when the built-in provider is used.
 */
export function createKnowledge(
  env: Bindings,
  db: () => Database,
  settings?: TenantSettings,
): KnowledgeProvider {
  const external = settings?.knowledge;
  if (external?.url) return createHttpKnowledge({ baseUrl: external.url, token: external.token });
  return createBuiltinKnowledge(db(), frontendBaseUrl(env));
}
