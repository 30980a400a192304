/**
 * The Usage view's blocks about platform limits (docs/cabinet.md): usage against each content quota,
 * the visitor message length, and the read-only support sessions platform operators opened.
 */
import { formatBytes, formatDate, h } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext } from "../context.ts";
import { pt } from "../platform-texts.ts";
import { table } from "../ui.ts";

interface Quotas {
  quotas: Array<{ id: string; used: number; limit: number }>;
  max_message_chars: number;
}

interface SupportSession {
  id: string;
  operator_email: string;
  reason: string | null;
  created_at: string;
  expires_at: string;
  active: boolean;
}

const LABELS: Record<string, Parameters<typeof pt>[0]> = {
  documents: "quotaDocuments",
  galleries: "quotaGalleries",
  images_per_gallery: "quotaImagesPerGallery",
  chunks: "quotaChunks",
  storage_bytes: "quotaStorageBytes",
};

/** The quotas card: one meter per quota. */
export async function quotasCard(ctx: CabinetContext): Promise<HTMLElement> {
  const q = await ctx.call<Quotas>("/me/quotas");
  const show = (id: string, n: number) =>
    id === "storage_bytes" ? formatBytes(n) : n.toLocaleString(getLocale());
  return h(
    "section",
    { class: "card usage-quotas", "data-card": "quotas" },
    h("h3", null, pt("quotasTitle")),
    h("p", { class: "muted small" }, pt("quotasHint")),
    h(
      "ul",
      { class: "quota-list" },
      q.quotas.map((x) =>
        h(
          "li",
          { "data-quota": x.id },
          h("span", null, pt(LABELS[x.id] ?? "quotaDocuments"), ": "),
          h("span", null, pt("quotaUsage", { used: show(x.id, x.used), limit: show(x.id, x.limit) })),
          x.limit > 0
            ? h("meter", { min: 0, max: x.limit, value: Math.min(x.used, x.limit), high: x.limit * 0.8 })
            : null,
        ),
      ),
    ),
    h("p", { class: "small" }, pt("maxMessageInfo", { n: q.max_message_chars })),
  );
}

/** The support sessions card: who opened this cabinet read-only, when, and why. */
export async function supportSessionsCard(ctx: CabinetContext): Promise<HTMLElement> {
  const { items } = await ctx.call<{ items: SupportSession[] }>("/me/support-sessions");
  return h(
    "section",
    { class: "card usage-support", "data-card": "support-sessions" },
    h("h3", null, pt("supportTitle")),
    h("p", { class: "muted small" }, pt("supportHint")),
    items.length === 0
      ? h("p", { class: "muted" }, pt("noSupport"))
      : table(
          pt("supportTitle"),
          [pt("colWhen"), pt("colOperator"), pt("colReason"), pt("colUntil")],
          items.map((s) => [
            formatDate(s.created_at, getLocale()),
            s.operator_email,
            s.reason ?? "—",
            formatDate(s.expires_at, getLocale()),
          ]),
        ),
  );
}
