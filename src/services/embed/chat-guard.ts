/**
 * The edge's checks on a visitor's chat request, made before any dialog object or model is touched:
 * - protected embed (`settings.protectedEmbed`): a valid widget token (X-Widget-Token) of this tenant, this
 *   visitor, and a page origin that is still allowed and matches the browser's `Origin` (CIP's own pages
 *   excepted: the embed iframe calls from CIP's origin);
 * - Turnstile (`settings.turnstile`): the first message of a new dialog carries a token siteverify passes.
 * Both off: nothing is checked and nothing is read but the cached settings. The settings come from
 * isolate memory or the TenantObject's warm snapshot, never from Postgres on a warm path.
 */
import { authConfig, turnstileConfig } from "../../config.ts";
import type { TenantSettings } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { normalizeOrigin } from "../../lib/origin.ts";
import { verifyWidgetToken, widgetTokenKey } from "../../lib/widget-token.ts";
import { edgeTenantSettings } from "./edge-tenant-settings.ts";
import { decryptTurnstileSecret } from "./turnstile/secret.ts";
import { httpTurnstileVerifier, requirePass, type TurnstileVerifier } from "./turnstile/verify.ts";

/** Who is calling, as the request says. */
export interface ChatCaller {
  tenantId: string;
  visitorId: string;
  /** The `X-Widget-Token` header. */
  widgetToken: string | undefined;
  /** The browser's `Origin` header (scripts may send none). */
  origin: string | undefined;
  /** CIP's own origins (FRONTEND_BASE_URL and the request's): its pages call from there. */
  selfOrigins: string[];
  /** A verified API key of this tenant with the `chat` scope: a server, not a page. */
  apiKeyId?: string | undefined;
}

/** The Turnstile part of a message that starts a dialog. */
export interface FirstMessage {
  turnstileToken: string | undefined;
  remoteIp: string | undefined;
  /** As in `ChatCaller`: a server with a `chat` key cannot solve a human check. */
  apiKeyId?: string | undefined;
}

/** The origin a browser request names: "" for none or an opaque `null` origin, else its canonical form. */
export function pageOrigin(header: string | undefined | null): string {
  if (!header || header === "null") return "";
  return normalizeOrigin(header) ?? "";
}

/**
 * Whether a token's page origin may use the chat now: CIP's own pages always; any page (or none, "")
 * while the tenant lists no allowed origins; otherwise only a listed origin.
 */
export function tokenOriginAllowed(origin: string, allowed: string[], selfOrigins: string[]): boolean {
  if (origin !== "" && selfOrigins.includes(origin)) return true;
  if (allowed.length === 0) return true;
  return origin !== "" && allowed.includes(origin);
}

/** The tenant's settings for the guard; `tenant_not_found` when there is no such tenant. */
export async function guardSettings(env: Bindings, tenantId: string): Promise<TenantSettings> {
  const settings = await edgeTenantSettings(env, tenantId);
  if (!settings) throw new AppError("tenant_not_found", "No such tenant.");
  return settings;
}

/** Throws unless the caller's widget token is valid for this tenant, visitor and page. */
export async function requireWidgetToken(
  env: Bindings,
  caller: ChatCaller,
  settings: TenantSettings,
): Promise<void> {
  // The tenant's own server, holding a `chat` key (verified by the auth layer): it has no page to bind a
  // widget token to.
  if (caller.apiKeyId !== undefined) return;
  if (!caller.widgetToken) {
    throw new AppError(
      "widget_token_required",
      "This chat only answers its own pages: send X-Widget-Token (POST .../chat/widget-token issues one).",
    );
  }
  const result = await verifyWidgetToken(
    await widgetTokenKey(authConfig(env).jwtKey),
    "token",
    caller.widgetToken,
    Math.floor(Date.now() / 1000),
  );
  if (!result.ok) {
    if (result.reason === "expired")
      throw new AppError("widget_token_expired", "The widget token has expired; get a new one.");
    throw new AppError("widget_token_invalid", "The widget token is not valid.");
  }
  const { claims } = result;
  if (claims.tenantId !== caller.tenantId)
    throw new AppError("widget_token_mismatch", "The widget token was issued for another chat.");
  if (claims.visitorId !== caller.visitorId)
    throw new AppError("widget_token_mismatch", "The widget token was issued for another visitor.");
  if (!tokenOriginAllowed(claims.origin, settings.allowedOrigins ?? [], caller.selfOrigins))
    throw new AppError(
      "widget_token_mismatch",
      "The widget token's site is no longer allowed to use this chat.",
    );
  const from = caller.origin === undefined ? undefined : pageOrigin(caller.origin);
  if (from !== undefined && !caller.selfOrigins.includes(from) && from !== claims.origin)
    throw new AppError("widget_token_mismatch", "The widget token was issued for another site.");
}

/** Throws unless the Turnstile token of a dialog's first message passes siteverify. */
export async function requireTurnstile(
  env: Bindings,
  tenantId: string,
  turnstile: NonNullable<TenantSettings["turnstile"]>,
  first: FirstMessage,
  verifier: TurnstileVerifier = httpTurnstileVerifier(turnstileConfig(env).verifyUrl),
): Promise<void> {
  if (first.apiKeyId !== undefined) return;
  if (!first.turnstileToken) {
    throw new AppError(
      "turnstile_required",
      "Solve the human check first: a new conversation needs its token (turnstile_token).",
    );
  }
  const secret = await decryptTurnstileSecret(env, tenantId, turnstile.secretEncrypted);
  requirePass(await verifier.verify({ secret, token: first.turnstileToken, remoteIp: first.remoteIp }));
}

/**
 * Every check a visitor's chat request needs: the widget token when the tenant protects its embed, and
 * Turnstile when `first` is given (the message starts a dialog) and the tenant set it up; neither for a
 * caller with a `chat` API key.
 */
export async function guardChat(env: Bindings, caller: ChatCaller, first?: FirstMessage): Promise<void> {
  const settings = await guardSettings(env, caller.tenantId);
  if (settings.protectedEmbed) await requireWidgetToken(env, caller, settings);
  if (first && settings.turnstile) await requireTurnstile(env, caller.tenantId, settings.turnstile, first);
}
