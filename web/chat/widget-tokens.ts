/**
 * The chat page's widget token (protected embed): fetched from `POST …/chat/widget-token` when the tenant
 * protects its embed (or the API says a token is needed), sent as `X-Widget-Token`, and renewed before it
 * runs out: on use when less than a minute is left, and ahead of time while the visitor is chatting. The
 * embed page trades its pass (which names the host page) for it; the chat page needs none.
 */
import { api } from "../shared/api.ts";

interface Issued {
  token: string;
  expires_in: number;
}

export interface WidgetTokens {
  /** The headers a chat request needs: `{}` while the tenant does not protect its embed. */
  headers(): Promise<Record<string, string>>;
  /** The API refused the token (or its absence): fetch a new one for the next request. */
  renew(): void;
}

/** Renew this long before expiry (ms). */
const MARGIN_MS = 60_000;
/** Renew ahead of time only within this long after the last use (ms): idle tabs stay quiet. */
const ACTIVE_MS = 30 * 60_000;

export function widgetTokens(opts: {
  tenantId: string;
  userId: string;
  pass: string | null;
  /** Whether the tenant protects its embed (from the page's tenant info; a refusal turns it on). */
  required: boolean;
}): WidgetTokens {
  let required = opts.required;
  let pass = opts.pass;
  let current: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  let lastUse = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function fetchToken(): Promise<string> {
    const body = { user_id: opts.userId, ...(pass ? { pass } : {}) };
    let issued: Issued;
    try {
      issued = await api<Issued>(`/tenants/${opts.tenantId}/chat/widget-token`, { method: "POST", body });
    } catch (err) {
      // An embed page open for half a day has an expired pass: CIP's own origin still gets a token.
      if (!pass) throw err;
      pass = null;
      return fetchToken();
    }
    current = { token: issued.token, expiresAt: Date.now() + issued.expires_in * 1000 };
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        if (Date.now() - lastUse < ACTIVE_MS) void obtain(true);
      },
      Math.max(5_000, issued.expires_in * 1000 - MARGIN_MS),
    );
    return issued.token;
  }

  function obtain(force = false): Promise<string> {
    if (!force && current && current.expiresAt - Date.now() > MARGIN_MS)
      return Promise.resolve(current.token);
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  return {
    async headers(): Promise<Record<string, string>> {
      if (!required) return {};
      lastUse = Date.now();
      return { "x-widget-token": await obtain() };
    },
    renew() {
      required = true;
      current = null;
    },
  };
}
