/**
 * `POST …/me/webhooks/{id}/test`: one signed `ping` event sent now, in the request, recorded with the
 * hook's deliveries; the answer is that attempt. Not retried: the owner sees the outcome at once.
 */
import type { Database } from "../../db/client.ts";
import type { Bindings } from "../../env.ts";
import type { WebhookDelivery, WebhookEvent } from "../../schemas/webhooks.ts";
import { recordAttempts } from "./attempts.ts";
import { postEvent } from "./deliver.ts";
import { webhookTarget } from "./store.ts";

export async function sendTestEvent(
  db: Database,
  env: Bindings,
  tenantId: string,
  webhookId: string,
  /** Ends the request's transaction before the (up to 10 s) call, so no session is held open by it. */
  commit: () => Promise<void>,
): Promise<WebhookDelivery> {
  const target = await webhookTarget(db, env, tenantId, webhookId);
  await commit();
  const event: WebhookEvent = {
    id: crypto.randomUUID(),
    type: "ping",
    created_at: new Date().toISOString(),
    tenant_id: tenantId,
    data: { webhook_id: webhookId, message: "A test event from CIP: the hook works if this arrived." },
  };
  const outcome = await postEvent(env, target, event, JSON.stringify(event));
  const id = crypto.randomUUID();
  await recordAttempts(db, tenantId, [
    {
      id,
      webhookId,
      eventId: event.id,
      eventType: event.type,
      attempt: 1,
      attemptedAt: outcome.attemptedAt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      nextAttemptAt: null,
    },
  ]);
  return {
    id,
    event_id: event.id,
    event_type: event.type,
    attempt: 1,
    attempted_at: new Date(outcome.attemptedAt).toISOString(),
    ok: outcome.ok,
    status_code: outcome.statusCode,
    error: outcome.error,
    duration_ms: outcome.durationMs,
    next_attempt_at: null,
  };
}
