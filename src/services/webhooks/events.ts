/**
 * The events CIP tells owners about, as they travel from a dialog (or the identify route) to the
 * tenant's outbox object: the webhook body, and for a new lead what its alert needs.
 */
import type { WebhookEvent, WebhookEventType } from "../../schemas/webhooks.ts";

/** What the alert of a `lead.created` event needs beyond the event itself. */
export interface AlertSource {
  dialogId: string | null;
  lastMessage: string | null;
}

/** One event handed to the outbox; `alert` only on `lead.created` (every new lead is alerted). */
export interface OutboxItem {
  event: WebhookEvent;
  alert?: AlertSource;
}

/** A lead the tenant did not have before, as Postgres stored it. */
export interface NewLead {
  id: string;
  kind: string;
  value: string;
  raw: string;
  created_at: string;
}

/** A fresh event (its id is the delivery id receivers deduplicate on). */
export function webhookEvent(
  type: WebhookEventType,
  tenantId: string,
  data: Record<string, unknown>,
  createdAt = Date.now(),
): WebhookEvent {
  return {
    id: crypto.randomUUID(),
    type,
    created_at: new Date(createdAt).toISOString(),
    tenant_id: tenantId,
    data,
  };
}

/** The `lead.created` item of a new lead, with its alert. */
export function leadItem(
  tenantId: string,
  lead: NewLead,
  dialogId: string | null,
  lastMessage: string | null,
): OutboxItem {
  const data = {
    lead_id: lead.id,
    dialog_id: dialogId,
    kind: lead.kind,
    value: lead.value,
    raw: lead.raw,
    created_at: new Date(lead.created_at).toISOString(),
  };
  return {
    event: webhookEvent("lead.created", tenantId, data, Date.parse(lead.created_at) || Date.now()),
    alert: { dialogId, lastMessage },
  };
}
