/**
 * A keyboard-accessible image viewer on the native modal `<dialog>` (focus stays inside; Escape
 * closes it), with previous/next buttons and arrow keys. Focus returns to the opener on close.
 */
import { h } from "../shared/dom.ts";
import { t } from "../shared/i18n.ts";

export interface LightboxImage {
  src: string;
  alt: string;
  caption: string | null;
}

/** Opens the viewer at `index`; returns focus to `opener` when closed. */
export function openLightbox(images: LightboxImage[], index: number, opener: HTMLElement | null): void {
  if (images.length === 0) return;
  let current = Math.max(0, Math.min(index, images.length - 1));
  const img = h("img", { class: "lightbox-img", alt: "" });
  const caption = h("p", { class: "lightbox-caption", "aria-live": "polite" });
  const close = h("button", { type: "button", class: "lightbox-close", "aria-label": t("closeImage") }, "×");
  const prev = h("button", { type: "button", class: "lightbox-nav", "aria-label": t("prevImage") }, "‹");
  const next = h("button", { type: "button", class: "lightbox-nav", "aria-label": t("nextImage") }, "›");
  const dialog = h(
    "dialog",
    { class: "lightbox", "aria-label": t("gallery") },
    h("div", { class: "lightbox-frame" }, close, h("figure", null, img, caption)),
    images.length > 1 ? h("div", { class: "lightbox-bar" }, prev, next) : null,
  );

  const show = (n: number) => {
    current = (n + images.length) % images.length;
    const item = images[current];
    if (!item) return;
    img.src = item.src;
    img.alt = item.alt;
    const position = t("imageOf", { n: current + 1, total: images.length });
    caption.textContent = item.caption ? `${item.caption} — ${position}` : position;
  };
  const shut = () => dialog.close();

  close.addEventListener("click", shut);
  prev.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  dialog.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft") show(current - 1);
    else if (e.key === "ArrowRight") show(current + 1);
  });
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) shut();
  });
  dialog.addEventListener("close", () => {
    dialog.remove();
    opener?.focus();
  });
  document.body.appendChild(dialog);
  show(current);
  dialog.showModal();
  close.focus();
}
