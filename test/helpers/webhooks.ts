/** Drives the local webhook receiver (scripts/lib/webhook-receiver.ts) and the webhook routes. */
import { env } from "cloudflare:workers";
import type { ReceivedDelivery } from "../../scripts/lib/webhook-receiver.ts";
import { bearer, type Owner } from "./accounts.ts";
import { call, callJson } from "./http.ts";

export type { ReceivedDelivery };

export const hooksPath = (tenantId: string) => `/api/v1/tenants/${tenantId}/me/webhooks`;

/** A receiver path no other test uses. */
export function receiverPath(): string {
  return `/hook/${crypto.randomUUID()}`;
}

export function receiverUrl(path: string): string {
  return `${env.TEST_WEBHOOK_RECEIVER}${path}`;
}

/** Tells the receiver the path's secret (it then checks signatures) and how many requests to fail. */
export async function configureReceiver(
  path: string,
  opts: { secret?: string; fail?: number; status?: number },
): Promise<void> {
  const res = await fetch(`${env.TEST_WEBHOOK_RECEIVER}/__configure`, {
    method: "POST",
    body: JSON.stringify({ path, ...opts }),
  });
  if (res.status !== 204) throw new Error(`receiver configure failed: ${res.status}`);
}

export async function received(path: string): Promise<ReceivedDelivery[]> {
  const res = await fetch(`${env.TEST_WEBHOOK_RECEIVER}/__requests?path=${encodeURIComponent(path)}`);
  return (await res.json()) as ReceivedDelivery[];
}

/** Waits until `until(requests)` holds for the path's requests, or fails after `timeoutMs`. */
export async function waitForReceived(
  path: string,
  until: (list: ReceivedDelivery[]) => boolean,
  timeoutMs = 15_000,
): Promise<ReceivedDelivery[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await received(path);
    if (until(list)) return list;
    if (Date.now() > deadline)
      throw new Error(
        `receiver ${path}: condition not met; got ${JSON.stringify(list.map((r) => [r.event, r.status]))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface CreatedHook {
  id: string;
  url: string;
  events: string[];
  secret: string;
  created_at: string;
  /** The receiver path it posts to. */
  path: string;
}

/** Adds a hook pointing at a fresh receiver path, and tells the receiver its secret. */
export async function createHook(
  owner: Owner,
  events: string[],
  path = receiverPath(),
): Promise<CreatedHook> {
  const res = await callJson(
    "POST",
    hooksPath(owner.tenantId),
    { url: receiverUrl(path), events },
    bearer(owner.token),
  );
  if (res.status !== 201) throw new Error(`webhook create failed: ${res.status} ${await res.text()}`);
  const hook = (await res.json()) as Omit<CreatedHook, "path">;
  await configureReceiver(path, { secret: hook.secret });
  return { ...hook, path };
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  attempted_at: string;
  ok: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  next_attempt_at: string | null;
}

export async function deliveries(owner: Owner, hookId: string): Promise<DeliveryRow[]> {
  const res = await call(`${hooksPath(owner.tenantId)}/${hookId}/deliveries`, {
    headers: bearer(owner.token),
  });
  if (res.status !== 200) throw new Error(`deliveries failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: DeliveryRow[] }).items;
}
