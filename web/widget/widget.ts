/**
 * The embeddable widget, `<script src="https://host/widget.js" data-tenant="slug" async></script>`:
 * a floating bubble that opens the tenant's embed page in an iframe. Self-contained (no imports, so it
 * stays a few KB), styles isolated in a shadow root, and the only global is `window.CIPWidget`
 * (open/close/toggle). The look (colour, side, greeting) comes from the tenant's public widget config.
 * Host page API (docs/frontend.md): the page posts commands to its own window (`cip:open`, `cip:close`,
 * `cip:new-conversation`, `cip:identify`); the widget answers with events posted to the page's own origin
 * only (`cip:ready`, `cip:opened`, `cip:closed`, and the chat's `cip:message-sent`, `cip:message-received`,
 * `cip:identified`, relayed from the iframe after checking they came from it).
 */

export {};

interface WidgetConfig {
  name: string;
  locale: "ru" | "en";
  /** Pinned by the tenant, else (`auto`, absent) the visitor's browser language, as in the chat page. */
  chatLanguage?: "auto" | "ru" | "en";
  widget: { color: string | null; position: "left" | "right"; greeting: string | null };
}

interface CIPWidgetApi {
  open(): void;
  close(): void;
  toggle(): void;
  isOpen(): boolean;
}

const TEXT = {
  en: { open: "Open chat", close: "Close chat", dismiss: "Dismiss" },
  ru: { open: "Открыть чат", close: "Закрыть чат", dismiss: "Скрыть" },
};

/** The widget's language: as web/shared/i18n.ts `chatLocale` (kept here: the loader imports nothing). */
function language(c: WidgetConfig): "ru" | "en" {
  if (c.chatLanguage === "ru" || c.chatLanguage === "en") return c.chatLanguage;
  for (const tag of navigator.languages ?? []) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "ru" || primary === "en") return primary;
  }
  return c.locale === "en" ? "en" : "ru";
}

const CSS = `:host{all:initial}
.b,.p,.g{position:fixed;z-index:2147483000;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.b{bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--c);color:var(--f);cursor:pointer;box-shadow:0 4px 16px rgba(0,0,0,.25);display:grid;place-items:center;padding:0}
.b:hover{filter:brightness(1.08)}.b:focus-visible,.x:focus-visible,.g button:focus-visible{outline:3px solid #111;outline-offset:3px}
.b svg{width:28px;height:28px;fill:currentColor}
.p{bottom:88px;width:min(400px,calc(100vw - 40px));height:min(600px,calc(100vh - 120px));background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}
.p[hidden],.g[hidden]{display:none}
.h{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:8px 8px 8px 14px;background:var(--c);color:var(--f);font-weight:600}
.x{background:none;border:0;color:inherit;font-size:24px;line-height:1;cursor:pointer;width:36px;height:36px;border-radius:8px}
iframe{flex:1;border:0;width:100%;background:#fff}
.g{bottom:88px;max-width:260px;background:#fff;color:#111;padding:10px 34px 10px 12px;border-radius:12px;box-shadow:0 4px 18px rgba(0,0,0,.2);cursor:pointer}
.g button{position:absolute;top:4px;right:4px;border:0;background:none;font-size:18px;cursor:pointer;color:#555;width:26px;height:26px}
.r{right:20px}.l{left:20px}
@media (max-width:480px){.p{inset:0;width:100vw;height:100%;border-radius:0}}`;

/** Black or white text, whichever reads better on `hex`. */
function foreground(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const lum = (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  return lum > 0.62 ? "#111" : "#fff";
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = cls;
  if (text) node.textContent = text;
  return node;
}

function icon(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2z");
  svg.appendChild(path);
  return svg;
}

function start(script: HTMLScriptElement, slug: string): void {
  const base = new URL(script.src, location.href).origin;
  const host = document.createElement("div");
  host.setAttribute("data-cip-widget", slug);
  const root = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = CSS;
  const bubble = el("button", "b");
  bubble.type = "button";
  bubble.setAttribute("aria-expanded", "false");
  bubble.appendChild(icon());
  const panel = el("div", "p");
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  const head = el("div", "h");
  const title = el("span", "t");
  const close = el("button", "x", "×");
  close.type = "button";
  head.appendChild(title);
  head.appendChild(close);
  panel.appendChild(head);
  const greet = el("div", "g");
  greet.hidden = true;
  const dismiss = el("button", "", "×");
  dismiss.type = "button";
  for (const node of [style, panel, greet, bubble]) root.appendChild(node);

  let open = false;
  let wantOpen = false;
  let config: WidgetConfig | null = null;
  let frame: HTMLIFrameElement | null = null;
  /** The chat in the iframe said `cip:ready`; commands for it wait in `queue` until then. */
  let frameReady = false;
  const queue: unknown[] = [];
  // Events for the host page go to its own origin ("/"), never "*": they carry the visitor's words.
  const emit = (data: unknown) => window.postMessage(data, "/");

  // The chat's own storage, kept on this page when the browser refuses it to the iframe (host-storage.ts
  // in web/chat): handed over in the URL fragment, updated by the iframe's `cip:store` messages.
  const stateKey = `cip:widget:${slug}`;
  const loadState = (): Record<string, string> => {
    try {
      const v = JSON.parse(localStorage.getItem(stateKey) ?? "{}") as Record<string, string> | null;
      return v && typeof v === "object" ? v : {};
    } catch {
      return {};
    }
  };
  const store = (d: { key?: unknown; value?: unknown }) => {
    const { key, value } = d;
    if (typeof key !== "string" || !/^cip:[0-9a-f-]{36}:(user|chat|active)$/.test(key)) return;
    if (value !== null && (typeof value !== "string" || value.length > 300_000)) return;
    const s = loadState();
    if (value === null) delete s[key];
    else s[key] = value;
    try {
      localStorage.setItem(stateKey, JSON.stringify(s));
    } catch {
      // this page's storage is full or blocked too
    }
  };

  const ensureFrame = (c: WidgetConfig) => {
    if (frame) return frame;
    frame = document.createElement("iframe");
    const state = loadState();
    const fragment = Object.keys(state).length
      ? `#cip-state=${encodeURIComponent(JSON.stringify(state))}`
      : "";
    frame.src = `${base}/${encodeURIComponent(slug)}/chat/embed${fragment}`;
    frame.title = c.name;
    frame.allow = "clipboard-write";
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    panel.appendChild(frame);
    return frame;
  };
  const flush = () => {
    if (!config) return;
    const target = ensureFrame(config).contentWindow;
    if (!frameReady || !target) return;
    for (const data of queue.splice(0)) target.postMessage(data, base);
  };

  const show = (value: boolean) => {
    if (!config) {
      wantOpen = value;
      return;
    }
    const changed = open !== value;
    open = value;
    if (value) ensureFrame(config);
    panel.hidden = !value;
    greet.hidden = true;
    bubble.setAttribute("aria-expanded", String(value));
    bubble.setAttribute("aria-label", TEXT[language(config)][value ? "close" : "open"]);
    if (value) frame?.focus();
    else bubble.focus();
    if (changed) emit({ type: value ? "cip:opened" : "cip:closed" });
  };
  const api: CIPWidgetApi = {
    open: () => show(true),
    close: () => show(false),
    toggle: () => show(!(config ? open : wantOpen)),
    isOpen: () => open,
  };
  (window as Window & { CIPWidget?: CIPWidgetApi }).CIPWidget = api;

  bubble.addEventListener("click", api.toggle);
  close.addEventListener("click", api.close);
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") api.close();
  });
  greet.addEventListener("click", (e) => {
    if (e.target === dismiss) greet.hidden = true;
    else api.open();
  });
  window.addEventListener("message", (e) => {
    const data = e.data as { type?: unknown } | null;
    const type = data && typeof data === "object" ? data.type : null;
    if (typeof type !== "string" || type.slice(0, 4) !== "cip:") return;
    if (frame && e.source === frame.contentWindow && e.origin === base) {
      // From the chat in the iframe: close, the ready handshake, or an event for the host page.
      if (type === "cip:close") api.close();
      else if (type === "cip:store") store(data as { key?: unknown; value?: unknown });
      else if (type === "cip:ready") {
        frameReady = true;
        flush();
      } else if (/^cip:(message-sent|message-received|identified)$/.test(type)) emit(data);
      return;
    }
    // Commands: only from the host page itself (not from other frames on it).
    if (e.source !== window || e.origin !== location.origin) return;
    if (type === "cip:open") api.open();
    else if (type === "cip:close") api.close();
    else if (type === "cip:new-conversation" || type === "cip:identify") {
      queue.push(data);
      flush();
    }
  });

  const apply = (c: WidgetConfig) => {
    config = c;
    const color = c.widget.color && /^#[0-9a-f]{6}$/i.test(c.widget.color) ? c.widget.color : "#2563eb";
    host.style.setProperty("--c", color);
    host.style.setProperty("--f", foreground(color));
    const side = c.widget.position === "left" ? "l" : "r";
    for (const node of [bubble, panel, greet]) node.classList.add(side);
    title.textContent = c.name;
    panel.setAttribute("aria-label", c.name);
    const text = TEXT[language(c)];
    close.setAttribute("aria-label", text.close);
    dismiss.setAttribute("aria-label", text.dismiss);
    bubble.setAttribute("aria-label", text.open);
    if (c.widget.greeting && !wantOpen) {
      greet.appendChild(document.createTextNode(c.widget.greeting));
      greet.appendChild(dismiss);
      setTimeout(() => {
        greet.hidden = open;
      }, 1200);
    }
    (document.body ?? document.documentElement).appendChild(host);
    if (wantOpen) show(true);
    if (queue.length > 0) flush();
    emit({ type: "cip:ready" });
  };

  fetch(`${base}/api/v1/tenants/by-slug/${encodeURIComponent(slug)}/widget`, { credentials: "omit" })
    .then((res) =>
      res.ok ? (res.json() as Promise<WidgetConfig>) : Promise.reject(new Error(`HTTP ${res.status}`)),
    )
    .then(apply, (err: unknown) => console.warn(`CIP widget: no chat for "${slug}" (${String(err)})`));
}

(() => {
  if ((window as Window & { CIPWidget?: CIPWidgetApi }).CIPWidget) return;
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-tenant]');
  const slug = script?.dataset.tenant ?? "";
  if (!script || !/^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/.test(slug)) {
    console.warn('CIP widget: add data-tenant="your-slug" to the script tag');
    return;
  }
  start(script, slug);
})();
