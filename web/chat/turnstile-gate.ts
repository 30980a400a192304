/**
 * Cloudflare Turnstile in the chat: when the tenant set it up, the first message of a new conversation
 * carries a Turnstile token. The widget script (the page config's `turnstileScript`: Cloudflare's in
 * production, a local stand-in in dev and tests) loads on demand with explicit rendering; the check shows
 * above the message box, starts as soon as the page knows a new conversation is coming, and each token
 * goes to one request only (siteverify accepts a token once, for 300 s).
 */
import { ApiError } from "../shared/api.ts";
import { h } from "../shared/dom.ts";
import { t } from "../shared/i18n.ts";

interface TurnstileApi {
  render(container: HTMLElement, options: Record<string, unknown>): string;
  remove(widgetId: string): void;
}

export interface TurnstileGate {
  /** The check's place on the page (hidden until it runs). */
  el: HTMLElement;
  /** Whether the tenant asks for the check. */
  enabled(): boolean;
  /** The site key learned later (the tenant info was older than the setting). */
  setSiteKey(siteKey: string | null): void;
  /** Starts the check ahead of time, so the first message does not wait for it. */
  prepare(): void;
  /** A token for one request: the one solved already, or the check's next one. */
  take(): Promise<string>;
}

/** Tokens older than this are not sent (siteverify refuses them after 300 s). */
const TOKEN_MAX_AGE_MS = 270_000;

let scriptLoad: Promise<TurnstileApi> | null = null;

function loadScript(url: string): Promise<TurnstileApi> {
  const ready = () => (window as Window & { turnstile?: TurnstileApi }).turnstile;
  scriptLoad ??= new Promise<TurnstileApi>((resolve, reject) => {
    const existing = ready();
    if (existing) return resolve(existing);
    const script = document.createElement("script");
    script.src = `${url}${url.includes("?") ? "&" : "?"}render=explicit`;
    script.async = true;
    script.addEventListener("load", () => {
      const api = ready();
      if (api) resolve(api);
      else reject(new Error("no turnstile"));
    });
    script.addEventListener("error", () => reject(new Error("turnstile did not load")));
    document.head.appendChild(script);
  }).catch((err: unknown) => {
    scriptLoad = null;
    throw err;
  });
  return scriptLoad;
}

export function createTurnstileGate(opts: {
  siteKey: string | null;
  scriptUrl: string;
  locale: string;
}): TurnstileGate {
  let siteKey = opts.siteKey;
  const box = h("div", { class: "turnstile-box" });
  const el = h(
    "div",
    { class: "turnstile-gate", hidden: true },
    h("p", { class: "hint" }, t("humanCheck")),
    box,
  );
  let widget: { id: string; api: TurnstileApi } | null = null;
  let solved: { token: string; at: number } | null = null;
  let waiters: Array<{ resolve(token: string): void; reject(err: unknown): void }> = [];

  const settle = (fn: (w: (typeof waiters)[number]) => void) => {
    const current = waiters;
    waiters = [];
    for (const w of current) fn(w);
  };
  const clear = () => {
    if (widget) widget.api.remove(widget.id);
    widget = null;
    el.hidden = true;
  };

  async function render(): Promise<void> {
    if (widget || !siteKey) return;
    let api: TurnstileApi;
    try {
      api = await loadScript(opts.scriptUrl);
    } catch {
      settle((w) => w.reject(new ApiError(0, "network_error", t("humanCheckUnavailable"))));
      return;
    }
    if (widget) return;
    el.hidden = false;
    const id = api.render(box, {
      sitekey: siteKey,
      action: "chat",
      language: opts.locale,
      callback(token: string) {
        solved = { token, at: Date.now() };
        const first = waiters.shift();
        if (first) use(first);
      },
      "error-callback"() {
        clear();
        settle((w) => w.reject(new ApiError(403, "turnstile_failed", t("humanCheckFailed"))));
        return true;
      },
      "expired-callback"() {
        solved = null;
      },
    });
    widget = { id, api };
  }

  /** Hands the solved token to one waiter; the widget goes, the next new conversation renders it again. */
  function use(waiter: (typeof waiters)[number]): void {
    const token = solved?.token;
    solved = null;
    clear();
    if (token) waiter.resolve(token);
    else waiter.reject(new ApiError(403, "turnstile_failed", t("humanCheckFailed")));
    if (waiters.length > 0) void render();
  }

  return {
    el,
    enabled: () => siteKey !== null,
    setSiteKey(key) {
      if (key === siteKey) return;
      siteKey = key;
      solved = null;
      clear();
    },
    prepare() {
      if (siteKey && !solved) void render();
    },
    take() {
      if (!siteKey) return Promise.reject(new ApiError(403, "turnstile_failed", t("humanCheckFailed")));
      return new Promise<string>((resolve, reject) => {
        const waiter = { resolve, reject };
        if (solved && Date.now() - solved.at < TOKEN_MAX_AGE_MS) return use(waiter);
        if (solved) {
          solved = null;
          clear();
        }
        waiters.push(waiter);
        void render();
      });
    },
  };
}
