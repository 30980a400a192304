/**
 * What the public chat adds around a conversation for issue 9: the widget token of a protected embed,
 * the Turnstile check on a new conversation, the tenant's conversation policy, and (embedded) the host
 * page API: events up to the framing page, `cip:new-conversation` and `cip:identify` down from it.
 */
import { ApiError, api } from "../shared/api.ts";
import { getLocale } from "../shared/i18n.ts";
import type { PageConfig, PublicTenant } from "../shared/tenant.ts";
import type { Conversation, ConversationConfig } from "./conversation-config.ts";
import { policyState } from "./conversation-policy.ts";
import { createHostBridge, type HostCommand } from "./host-bridge.ts";
import { createTurnstileGate } from "./turnstile-gate.ts";
import { widgetTokens } from "./widget-tokens.ts";

export interface ChatExtras {
  /** Hooks for `createConversation`. */
  config: Pick<
    ConversationConfig,
    "prepare" | "recover" | "stale" | "onSent" | "onReceived" | "beforeComposer"
  >;
  /** The stored conversation must not continue on this page load (policy). */
  staleOnLoad: boolean;
  /** Wires the conversation to the host page and starts the human check early when it will be needed. */
  attach(conversation: Conversation): void;
  /** Asks the widget to close (Escape inside the embed). */
  close(): void;
  /** Sends a visitor call (e.g. answer feedback) with the widget token; an expired token is renewed once. */
  visitorCall<T>(call: (headers: Record<string, string>) => Promise<T>): Promise<T>;
}

const TOKEN_CODES = new Set(["widget_token_required", "widget_token_invalid", "widget_token_expired"]);

export function chatExtras(opts: {
  tenant: PublicTenant;
  page: PageConfig;
  userId: string;
  embed: boolean;
}): ChatExtras {
  const { tenant, page, userId } = opts;
  const chat = tenant.chat ?? {
    protected: false,
    turnstileSiteKey: null,
    conversation: { policy: "keep" as const, hours: null },
  };
  const tokens = widgetTokens({
    tenantId: tenant.id,
    userId,
    pass: opts.embed ? page.pass : null,
    required: chat.protected,
  });
  const gate = createTurnstileGate({
    siteKey: chat.turnstileSiteKey,
    scriptUrl: page.turnstileScript,
    locale: getLocale(),
  });
  const policy = policyState(tenant.id, chat.conversation);
  let conversation: Conversation | null = null;
  /** The server asked for a human check on a message of an open conversation (every Nth message). */
  let recheck = false;
  const bridge = createHostBridge({
    hostOrigin: opts.embed ? page.hostOrigin : null,
    onCommand: (command) => void run(command),
  });

  async function identify(command: Extract<HostCommand, { type: "cip:identify" }>): Promise<void> {
    const { type: _type, ...contact } = command;
    const send = async (dialogId: string | null) =>
      api<{ stored: number }>(`/tenants/${tenant.id}/chat/identify`, {
        method: "POST",
        body: { user_id: userId, ...(dialogId ? { dialog_id: dialogId } : {}), ...contact },
        headers: await tokens.headers(),
      });
    const dialogId = conversation?.dialogId() ?? null;
    try {
      let result: { stored: number };
      try {
        result = await send(dialogId);
      } catch (err) {
        // A dialog the server no longer has, or a token to renew: the lead still counts without them.
        if (!(err instanceof ApiError)) throw err;
        if (TOKEN_CODES.has(err.code)) tokens.renew();
        else if (!(err.status === 404 && dialogId)) throw err;
        result = await send(err.status === 404 ? null : dialogId);
      }
      bridge.post({ type: "cip:identified", ok: true, stored: result.stored });
    } catch (err) {
      bridge.post({
        type: "cip:identified",
        ok: false,
        error: err instanceof ApiError ? err.code : "network_error",
      });
    }
  }

  async function run(command: HostCommand): Promise<void> {
    if (command.type === "cip:new-conversation") {
      conversation?.reset();
      gate.prepare();
    } else await identify(command);
  }

  return {
    staleOnLoad: policy.staleOnLoad(),
    config: {
      beforeComposer: gate.el,
      async prepare(dialogId) {
        const headers = await tokens.headers();
        // A new conversation is checked; so is a later message the server asked a check for (every Nth).
        const check = dialogId === null || recheck;
        if (!check || !gate.enabled()) return { headers };
        recheck = false;
        return { headers, body: { turnstile_token: await gate.take() } };
      },
      async recover(err) {
        if (TOKEN_CODES.has(err.code)) {
          tokens.renew();
          return true;
        }
        if (err.code === "turnstile_required" && !gate.enabled()) {
          // The tenant info was older than the setting (also the copy inlined in the embed page): ask anew.
          const fresh = await api<PublicTenant>(`/tenants/by-slug/${encodeURIComponent(tenant.slug)}`, {
            cache: "no-cache",
          }).catch(() => null);
          gate.setSiteKey(fresh?.chat?.turnstileSiteKey ?? null);
          return gate.enabled();
        }
        if (err.code === "turnstile_required" || err.code === "turnstile_failed") {
          recheck = true;
          return true;
        }
        return false;
      },
      stale: () => policy.staleNow(),
      onSent(dialogId, text) {
        policy.touch();
        bridge.post({ type: "cip:message-sent", dialog_id: dialogId, text });
      },
      onReceived(dialogId, text, status) {
        policy.touch();
        bridge.post({ type: "cip:message-received", dialog_id: dialogId, text, status });
      },
    },
    attach(c) {
      conversation = c;
      if (!c.dialogId()) gate.prepare();
      bridge.post({ type: "cip:ready" });
    },
    close: () => bridge.post({ type: "cip:close" }),
    async visitorCall(call) {
      try {
        return await call(await tokens.headers());
      } catch (err) {
        if (!(err instanceof ApiError) || !TOKEN_CODES.has(err.code)) throw err;
        tokens.renew();
        return call(await tokens.headers());
      }
    },
  };
}
