/** Draft and publish in tests: visitors get only the published prompt (docs/cabinet.md). */
import { expect } from "vitest";
import { bearer, type Owner } from "./accounts.ts";
import { call } from "./http.ts";

/** Publishes the owner's draft and answers the new version. */
export async function publishPrompt(o: Pick<Owner, "tenantId" | "token">): Promise<number> {
  const res = await call(`/api/v1/tenants/${o.tenantId}/me/prompt/publish`, {
    method: "POST",
    headers: bearer(o.token),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { version: number }).version;
}
