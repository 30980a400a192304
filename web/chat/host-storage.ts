/**
 * Keeping the chat across page loads when the embed page may not use its own storage: browsers that
 * block third-party storage (private windows, some privacy settings) refuse localStorage to the widget's
 * iframe, which would forget the visitor and the conversation on every load. The widget then keeps them
 * on its host page instead: it hands the saved values to the iframe in the URL fragment (never sent to a
 * server) and stores what the page posts back (`cip:store`, to the host's exact origin only). The values
 * are this tenant's visitor id, conversation and last activity, on the tenant's own site.
 */
import { hasLocalStorage, relayStorage } from "../shared/store.ts";

const KEY = /^cip:[0-9a-f-]{36}:(user|chat|active)$/;

/** Switches the page to its host's storage when it has none of its own and runs in a frame. */
export function adoptHostStorage(hostOrigin: string | null): void {
  if (hasLocalStorage() || window.parent === window) return;
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  const target = ancestors?.[0] ?? hostOrigin;
  if (!target) return;
  const seed: Record<string, string> = {};
  const found = /(?:^#|&)cip-state=([^&]*)/.exec(location.hash);
  if (found) {
    try {
      const parsed = JSON.parse(decodeURIComponent(found[1] ?? "")) as Record<string, unknown>;
      for (const [key, value] of Object.entries(parsed ?? {})) {
        if (KEY.test(key) && typeof value === "string") seed[key] = value;
      }
    } catch {
      // a damaged fragment: start afresh
    }
    history.replaceState(null, "", `${location.pathname}${location.search}`);
  }
  relayStorage(seed, (key, value) => {
    if (KEY.test(key)) window.parent.postMessage({ type: "cip:store", key, value }, target);
  });
}
