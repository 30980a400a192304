/**
 * What the `command` events of a turn look like under the answer: a gallery grid (opening the lightbox),
 * sources of a document search, document and gallery lists. The event data comes from the server but
 * is treated as untrusted: every field is checked, text goes in as text, images pass `imageSrc`.
 */
import { h } from "../shared/dom.ts";
import { t } from "../shared/i18n.ts";
import type { CommandEvent } from "../shared/sse.ts";
import { type LightboxImage, openLightbox } from "./lightbox.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v : null);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** The gallery grid: thumbnails are buttons, so Tab and Enter open the lightbox. */
export function galleryGrid(
  title: string | null,
  raw: Obj[],
  imageSrc: (url: string) => string | null,
): HTMLElement | null {
  const images: LightboxImage[] = [];
  for (const item of raw) {
    const src = imageSrc(str(item.url) ?? "");
    if (!src) continue;
    const caption = str(item.caption);
    images.push({ src, alt: caption ?? str(item.name) ?? "", caption });
  }
  if (images.length === 0) return null;
  const grid = h("ul", { class: "gallery-grid" });
  images.forEach((image, i) => {
    const button = h(
      "button",
      {
        type: "button",
        class: "gallery-thumb",
        "aria-label": t("openImage", { n: i + 1, total: images.length }),
        onclick: (e: Event) => openLightbox(images, i, e.currentTarget as HTMLElement),
      },
      h("img", { src: image.src, alt: image.alt, loading: "lazy", decoding: "async" }),
    );
    grid.appendChild(h("li", null, button));
  });
  return h(
    "section",
    { class: "cmd cmd-gallery", "aria-label": title ?? t("gallery") },
    title ? h("p", { class: "cmd-title" }, title) : null,
    grid,
  );
}

function titledList(
  heading: string,
  items: Array<{ title: string; detail?: string | null }>,
): HTMLElement | null {
  if (items.length === 0) return null;
  return h(
    "section",
    { class: "cmd cmd-list", "aria-label": heading },
    h("p", { class: "cmd-title" }, heading),
    h(
      "ul",
      null,
      items.map((item) =>
        h(
          "li",
          null,
          h("strong", null, item.title),
          item.detail ? h("span", { class: "cmd-detail" }, ` — ${item.detail}`) : null,
        ),
      ),
    ),
  );
}

/** The view of one user-channel command (null when it has nothing to show beyond the answer text). */
export function renderCommand(
  cmd: CommandEvent,
  imageSrc: (url: string) => string | null,
): HTMLElement | null {
  if (!cmd.ok || !isObj(cmd.data)) return null;
  const data = cmd.data;
  switch (cmd.name) {
    case "SHOW_GALLERY": {
      const gallery = isObj(data.gallery) ? data.gallery : {};
      return galleryGrid(str(gallery.title), list(gallery.images), imageSrc);
    }
    case "RAG_SEARCH":
      return titledList(
        t("sources"),
        list(data.hits).map((hit) => ({ title: str(hit.title) ?? "—", detail: str(hit.snippet) })),
      );
    case "RAG_LIST_DOCUMENTS":
      return titledList(
        t("documents"),
        list(data.documents).map((d) => ({ title: str(d.title) ?? "—" })),
      );
    case "RAG_GET_DOCUMENT":
      return isObj(data.document)
        ? titledList(t("documents"), [{ title: str(data.document.title) ?? "—" }])
        : null;
    case "LIST_GALLERIES":
      return titledList(
        t("galleries"),
        list(data.groups).map((g) => ({
          title: str(g.title) ?? "—",
          detail: typeof g.imageCount === "number" ? `${g.imageCount}` : null,
        })),
      );
    default:
      return null;
  }
}
