/**
 * The embed page's side of the host-page API (docs/frontend.md "Host page API"): events go up to the page
 * that frames the chat (the widget re-posts them to its page), commands come down from it.
 * - Events: `cip:ready`, `cip:message-sent`, `cip:message-received`, `cip:identified`, `cip:close`. Anything
 *   carrying the visitor's words goes to the parent's exact origin only, never "*": the browser's
 *   `location.ancestorOrigins`, else the host page the Worker saw (the Referer), else the origin of the
 *   parent's first message. Without any, only data-free events are posted.
 * - Commands: `cip:new-conversation`, `cip:identify`. Only the framing window may send them (the CSP
 *   `frame-ancestors` already limits who that is), from that origin when it is known.
 */

export type HostCommand =
  | { type: "cip:new-conversation" }
  | { type: "cip:identify"; name?: string; email?: string; phone?: string };

export type HostEvent =
  | { type: "cip:ready" }
  | { type: "cip:close" }
  | { type: "cip:message-sent"; dialog_id: string; text: string }
  | { type: "cip:message-received"; dialog_id: string; text: string; status: string }
  | { type: "cip:identified"; ok: boolean; stored?: number; error?: string };

export interface HostBridge {
  /** Whether the page runs inside a frame at all. */
  framed: boolean;
  post(event: HostEvent): void;
}

const DATA_FREE = new Set(["cip:ready", "cip:close"]);
const text = (v: unknown, max: number) => (typeof v === "string" && v.length <= max ? v : undefined);

/** Reads a command from a message's data; anything else is ignored. */
export function parseCommand(data: unknown): HostCommand | null {
  const d = data as { type?: unknown; name?: unknown; email?: unknown; phone?: unknown } | null;
  if (!d || typeof d !== "object") return null;
  if (d.type === "cip:new-conversation") return { type: d.type };
  if (d.type !== "cip:identify") return null;
  const out: HostCommand = { type: "cip:identify" };
  const name = text(d.name, 100);
  const email = text(d.email, 254);
  const phone = text(d.phone, 40);
  if (name) out.name = name;
  if (email) out.email = email;
  if (phone) out.phone = phone;
  return out;
}

export function createHostBridge(opts: {
  hostOrigin: string | null;
  onCommand: (command: HostCommand) => void;
}): HostBridge {
  const framed = window.parent !== window;
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  let parentOrigin: string | null = ancestors?.[0] ?? opts.hostOrigin ?? null;

  if (framed) {
    window.addEventListener("message", (e: MessageEvent) => {
      if (e.source !== window.parent) return;
      if (parentOrigin !== null && e.origin !== parentOrigin) return;
      const command = parseCommand(e.data);
      if (!command) return;
      parentOrigin ??= e.origin;
      opts.onCommand(command);
    });
  }

  return {
    framed,
    post(event) {
      if (!framed) return;
      if (parentOrigin) window.parent.postMessage(event, parentOrigin);
      else if (DATA_FREE.has(event.type)) window.parent.postMessage(event, "*");
    },
  };
}
