/**
 * Issuing widget tokens and embed passes (src/lib/widget-token.ts has the format).
 * - `embedPass`: the Worker signs one into the embed page for the host page it saw (the iframe request's
 *   Referer; the page itself when opened top-level), when that origin may use the chat.
 * - `issueWidgetToken` (POST .../chat/widget-token): trades a pass, or the browser's own Origin (CIP's chat
 *   page, or a site calling the API itself), for a token bound to the visitor. The origin must be CIP's,
 *   a listed one, or anything while the tenant lists none.
 */
import { authConfig } from "../../config.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import {
  EMBED_PASS_TTL_SECONDS,
  signWidgetToken,
  verifyWidgetToken,
  WIDGET_TOKEN_TTL_SECONDS,
  widgetTokenKey,
} from "../../lib/widget-token.ts";
import { guardSettings, pageOrigin, tokenOriginAllowed } from "./chat-guard.ts";

/** What the token endpoint answers. */
export interface IssuedWidgetToken {
  token: string;
  expires_at: string;
  expires_in: number;
  /** The page origin the token is bound to ("" when the caller named none). */
  origin: string;
}

export interface TokenRequest {
  tenantId: string;
  visitorId: string;
  /** The embed page's pass, when the caller is the embed page. */
  pass: string | undefined;
  origin: string | undefined;
  referer: string | undefined;
  selfOrigins: string[];
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The host page an embed request came for: the page itself when the browser opened it top-level, else the
 * origin of the Referer (the widget and the iframe snippet send it: referrerpolicy
 * strict-origin-when-cross-origin); "" when neither says.
 */
export function embedHostOrigin(headers: Headers, selfOrigin: string): string {
  if (headers.get("sec-fetch-dest") === "document") return selfOrigin;
  const referer = headers.get("referer");
  if (!referer) return "";
  try {
    return pageOrigin(new URL(referer).origin);
  } catch {
    return "";
  }
}

/** A pass for an embed page served for `hostOrigin`, or null when that origin may not use the chat. */
export async function embedPass(
  env: Bindings,
  tenant: { id: string; allowedOrigins: string[] },
  hostOrigin: string,
  selfOrigins: string[],
): Promise<string | null> {
  if (!tokenOriginAllowed(hostOrigin, tenant.allowedOrigins, selfOrigins)) return null;
  return signWidgetToken(await widgetTokenKey(authConfig(env).jwtKey), "pass", {
    tenantId: tenant.id,
    origin: hostOrigin,
    visitorId: "",
    exp: nowSeconds() + EMBED_PASS_TTL_SECONDS,
  });
}

/** The page origin a token request speaks for: its pass's, or the browser's Origin (else Referer). */
async function requestedOrigin(env: Bindings, req: TokenRequest): Promise<string> {
  const browser = req.origin !== undefined ? pageOrigin(req.origin) : undefined;
  if (req.pass === undefined) {
    if (browser !== undefined) return browser;
    return req.referer ? pageOrigin(safeOrigin(req.referer)) : "";
  }
  const result = await verifyWidgetToken(
    await widgetTokenKey(authConfig(env).jwtKey),
    "pass",
    req.pass,
    nowSeconds(),
  );
  if (!result.ok) {
    if (result.reason === "expired")
      throw new AppError("widget_token_expired", "The embed page's pass has expired; reload the page.");
    throw new AppError("widget_token_invalid", "The embed page's pass is not valid.");
  }
  if (result.claims.tenantId !== req.tenantId)
    throw new AppError("widget_token_mismatch", "The embed page's pass was issued for another chat.");
  if (browser !== undefined && !req.selfOrigins.includes(browser) && browser !== result.claims.origin)
    throw new AppError("widget_token_mismatch", "The embed page's pass was issued for another site.");
  return result.claims.origin;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

/** Issues a widget token for a visitor of the tenant (see the module comment for who may get one). */
export async function issueWidgetToken(env: Bindings, req: TokenRequest): Promise<IssuedWidgetToken> {
  const settings = await guardSettings(env, req.tenantId);
  const origin = await requestedOrigin(env, req);
  if (!tokenOriginAllowed(origin, settings.allowedOrigins ?? [], req.selfOrigins)) {
    throw new AppError(
      "widget_token_mismatch",
      "This site may not use this chat: its origin is not allowed.",
    );
  }
  const exp = nowSeconds() + WIDGET_TOKEN_TTL_SECONDS;
  const token = await signWidgetToken(await widgetTokenKey(authConfig(env).jwtKey), "token", {
    tenantId: req.tenantId,
    origin,
    visitorId: req.visitorId,
    exp,
  });
  return {
    token,
    expires_at: new Date(exp * 1000).toISOString(),
    expires_in: WIDGET_TOKEN_TTL_SECONDS,
    origin,
  };
}
