/**
 * Fills the demo tenant through CIP's own HTTP API, signed in as the demo owner (demo-owner.ts), so
 * everything goes through the real bindings (R2 for pictures and the document, the dialog objects for
 * conversations) the way a user's would: prompt chunks, a gallery with pictures, a document, and a few
 * visitors' conversations, some with contact details (leads). Idempotent: each kind is added only when
 * the demo has none of it yet, so restarts never duplicate (delete a kind in the cabinet to get it back).
 * Leaves embed, Telegram and members alone: the demo's checklist shows what is left to do.
 */
import { randomBytes } from "node:crypto";
import { DEMO_CHUNKS, DEMO_DOCUMENT, DEMO_GALLERY, DEMO_VISITORS, gradientPng } from "./demo-content.ts";
import { DEMO_TENANT_ID, type DemoLogin } from "./demo-owner.ts";

type Call = (
  path: string,
  init?: { method?: string; body?: unknown; raw?: FormData; visitor?: boolean },
) => Promise<unknown>;

/** A JSON (or multipart) caller for the demo tenant's API with one client address of its own. */
function caller(baseUrl: string, token: () => string): Call {
  const ip = `10.77.${randomBytes(1)[0] ?? 1}.${1 + ((randomBytes(1)[0] ?? 0) % 250)}`;
  return async (path, init = {}) => {
    const headers = new Headers({ "cf-connecting-ip": ip });
    // A visitor's turn carries no credential, as the widget's does not.
    if (token() && !init.visitor) headers.set("authorization", `Bearer ${token()}`);
    let body: BodyInit | undefined;
    if (init.raw) body = init.raw;
    else if (init.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.body);
    }
    const res = await fetch(`${baseUrl}/api/v1/tenants/${DEMO_TENANT_ID}${path}`, {
      method: init.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`demo seed: ${init.method ?? "GET"} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

const itemsOf = (answer: unknown) => ((answer as { items?: unknown[] } | null)?.items ?? []) as unknown[];

/** Seeds what is missing; answers the names of the kinds it added (empty on a restart). */
export async function seedDemo(baseUrl: string, login: DemoLogin): Promise<string[]> {
  let token = "";
  const call = caller(baseUrl, () => token);
  const session = (await call("/login", { body: login })) as { access_token: string };
  token = session.access_token;
  const added: string[] = [];

  const chunks = itemsOf(await call("/me/prompt/chunks")) as Array<{ question: string }>;
  const missing = DEMO_CHUNKS.filter((c) => !chunks.some((have) => have.question === c.question));
  // Only on a demo nobody taught yet: a chunk the developer deleted on purpose stays deleted.
  if (missing.length === DEMO_CHUNKS.length) {
    for (const chunk of DEMO_CHUNKS) await call("/me/prompt/chunks", { body: chunk });
    // Visitors get only published prompts (docs/cabinet.md "Draft and publish").
    await call("/me/prompt/publish", { method: "POST" });
    added.push("chunks");
  }

  if (itemsOf(await call("/me/galleries")).length === 0) {
    const gallery = (await call("/me/galleries", {
      body: { title: DEMO_GALLERY.title, description: DEMO_GALLERY.description },
    })) as { id: string };
    for (const [i, image] of DEMO_GALLERY.images.entries()) {
      const form = new FormData();
      const png = gradientPng(480, 320, image.colors[0], image.colors[1]);
      form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), `demo-${i + 1}.png`);
      await call(`/me/galleries/${gallery.id}/images?caption=${encodeURIComponent(image.caption)}`, {
        raw: form,
      });
    }
    added.push("gallery");
  }

  if (itemsOf(await call("/me/documents")).length === 0) {
    const form = new FormData();
    form.append("file", new Blob([DEMO_DOCUMENT.text], { type: "text/markdown" }), DEMO_DOCUMENT.name);
    const query = `name=${encodeURIComponent(DEMO_DOCUMENT.name)}&title=${encodeURIComponent(DEMO_DOCUMENT.title)}`;
    await call(`/me/documents?${query}`, { raw: form });
    added.push("document");
  }

  if (itemsOf(await call("/me/dialogs?channel=web")).length === 0) {
    for (const messages of DEMO_VISITORS) {
      const visitor = `demo-visitor-${randomBytes(6).toString("hex")}`;
      let dialogId: string | undefined;
      for (const message of messages) {
        const answer = (await call("/chat/message", {
          body: { user_id: visitor, message, ...(dialogId ? { dialog_id: dialogId } : {}) },
          visitor: true,
        })) as { dialog_id: string };
        dialogId = answer.dialog_id;
      }
    }
    added.push("dialogs with leads");
  }
  return added;
}
