/** Chat calls and waits shared by the chat tests. */
import { and, asc, eq } from "drizzle-orm";
import { messages } from "../../src/db/schema.ts";
import { withDb } from "./db.ts";
import { callJson } from "./http.ts";

export const DEMO = "00000000-0000-4000-8000-000000000001";

export function chat(
  tenantId: string,
  body: Record<string, unknown>,
  headers: HeadersInit = {},
): Promise<Response> {
  return callJson("POST", `/api/v1/tenants/${tenantId}/chat`, body, headers);
}

export function chatJson(
  tenantId: string,
  body: Record<string, unknown>,
  headers: HeadersInit = {},
): Promise<Response> {
  return callJson("POST", `/api/v1/tenants/${tenantId}/chat/message`, body, headers);
}

export function visitor(): string {
  return `v-${crypto.randomUUID()}`;
}

type StoredRow = typeof messages.$inferSelect;

/** Polls Postgres until the dialog has `count` messages all in a final state, or fails after `timeoutMs`. */
export async function storedMessages(
  dialogId: string,
  count: number,
  timeoutMs = 5000,
): Promise<StoredRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await withDb((h) =>
      h.db
        .select()
        .from(messages)
        .where(and(eq(messages.dialogId, dialogId)))
        .orderBy(asc(messages.seq)),
    );
    if (rows.length >= count) return rows;
    if (Date.now() > deadline)
      throw new Error(`dialog ${dialogId}: ${rows.length} of ${count} messages stored`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
