/** Page-level helpers shared by every page: status screens, the tenant's accent colour, the title. */
import { ApiError } from "./api.ts";
import { h, replace } from "./dom.ts";
import { t } from "./i18n.ts";

/** Fills the page with a centred notice (loading, not found, failures). */
export function notice(root: HTMLElement, text: string, role: "status" | "alert" = "status"): void {
  root.setAttribute("aria-busy", "false");
  replace(root, h("main", { class: "notice" }, h("p", { role }, text)));
}

/** The notice for a failed tenant lookup. */
export function tenantFailure(root: HTMLElement, err: unknown): void {
  const missing = err instanceof ApiError && (err.status === 404 || err.status === 422);
  notice(
    root,
    missing ? t("tenantMissing") : err instanceof ApiError ? err.message : t("serverError"),
    "alert",
  );
}

/** Uses the tenant's widget colour (#rrggbb only) as the page's accent. */
export function applyAccent(color: string | null | undefined): void {
  if (color && /^#[0-9a-fA-F]{6}$/.test(color)) document.documentElement.style.setProperty("--accent", color);
}

/** Sets the document title. */
export function setTitle(...parts: Array<string | null | undefined>): void {
  document.title = parts.filter(Boolean).join(" · ") || "CIP";
}
