/**
 * `/my/platform`: the platform operator's console (docs/operator.md), shown only to operators. Tenants
 * listed and searched, blocked and unblocked, their limits changed, a read-only support session opened
 * in a new tab; the audit trail of every such action below.
 */
import { type ApiOptions, api } from "../../shared/api.ts";
import { formatDate, h, replace, uid } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import { saveSession } from "../../shared/session.ts";
import type { CabinetContext, PageOf, View } from "../context.ts";
import { pt } from "../platform-texts.ts";
import { ct } from "../texts.ts";
import { loadMore, statusLine, table } from "../ui.ts";

type LimitKey =
  | "max_message_chars"
  | "documents"
  | "galleries"
  | "images_per_gallery"
  | "chunks"
  | "storage_bytes";

interface Tenant {
  id: string;
  slug: string;
  name: string;
  created_at: string;
  owner_email: string | null;
  dialogs: number;
  tokens_month: number;
  blocked: boolean;
  limits: Record<LimitKey, number | null>;
}

interface AuditEntry {
  id: string;
  actor_email: string;
  action: string;
  target_tenant_id: string | null;
  created_at: string;
}

const LIMITS: Array<[LimitKey, Parameters<typeof pt>[0]]> = [
  ["max_message_chars", "maxMessageChars"],
  ["documents", "quotaDocuments"],
  ["galleries", "quotaGalleries"],
  ["images_per_gallery", "quotaImagesPerGallery"],
  ["chunks", "quotaChunks"],
  ["storage_bytes", "quotaStorageBytes"],
];

const num = (n: number) => n.toLocaleString(getLocale());

/** `/my/platform`. */
export const platformView: View = async (ctx, main) => {
  const call = <T>(path: string, opts: ApiOptions = {}) => api<T>(path, { ...opts, token: ctx.token() });
  const status = statusLine();
  const list = h("div", { class: "platform-tenants", "aria-live": "polite" });
  const editor = h("div", { class: "platform-editor" });
  const audit = h("div", { class: "platform-audit" });
  const q = h("input", { type: "search", id: uid("platform-q"), name: "q", maxlength: 200 });
  const search = h(
    "form",
    { class: "platform-search", role: "search" },
    h("label", { for: q.id }, pt("searchTenants")),
    q,
    h("button", { type: "submit", class: "btn btn-small" }, ct("search")),
  );
  let items: Tenant[] = [];
  let cursor: string | null = null;
  const more = loadMore(async () => {
    await page(false);
    return cursor !== null;
  });

  async function page(reset: boolean): Promise<void> {
    const res = await call<PageOf<Tenant>>("/platform/tenants", {
      query: { q: q.value.trim(), cursor: reset ? null : cursor, limit: 25 },
    });
    items = reset ? res.items : [...items, ...res.items];
    cursor = res.next_cursor;
    more.hidden = cursor === null;
    render();
  }

  function render(): void {
    if (items.length === 0) {
      replace(list, h("p", { class: "muted" }, pt("noTenants")));
      return;
    }
    replace(
      list,
      table(
        pt("tenantsTitle"),
        [
          pt("colTenant"),
          pt("colOwner"),
          pt("colSignedUp"),
          pt("colDialogs"),
          pt("colTokens"),
          pt("colStatus"),
          pt("colActions"),
        ],
        items.map((t) => [
          h("span", { "data-tenant": t.slug }, h("strong", null, t.slug), h("br"), t.name),
          t.owner_email ?? "—",
          formatDate(t.created_at, getLocale()),
          num(t.dialogs),
          num(t.tokens_month),
          h(
            "span",
            { class: t.blocked ? "badge badge-danger" : "badge", "data-status": t.slug },
            t.blocked ? pt("statusBlocked") : pt("statusActive"),
          ),
          actions(t),
        ]),
      ),
    );
  }

  function actions(t: Tenant): HTMLElement {
    const toggle = h(
      "button",
      { type: "button", class: "btn btn-small", "data-action": t.blocked ? "unblock" : "block" },
      t.blocked ? pt("unblock") : pt("block"),
    );
    toggle.addEventListener("click", async () => {
      if (!t.blocked && !window.confirm(pt("confirmBlock", { slug: t.slug }))) return;
      try {
        const updated = await call<Tenant>(`/platform/tenants/${t.id}/${t.blocked ? "unblock" : "block"}`, {
          method: "POST",
        });
        items = items.map((x) => (x.id === updated.id ? updated : x));
        render();
        status.ok(pt(updated.blocked ? "blockedOk" : "unblockedOk", { slug: t.slug }));
        await loadAudit();
      } catch (err) {
        status.error(err);
      }
    });
    const limits = h("button", { type: "button", class: "btn btn-small btn-ghost" }, pt("limits"));
    limits.addEventListener("click", () => showLimits(t));
    const support = h("button", { type: "button", class: "btn btn-small btn-ghost" }, pt("supportSession"));
    support.addEventListener("click", () => void openSupport(t));
    return h("div", { class: "row-actions" }, toggle, limits, support);
  }

  function showLimits(t: Tenant): void {
    const inputs = LIMITS.map(([key, label]) => {
      const input = h("input", { type: "number", min: 0, step: 1, id: uid("limit"), name: key });
      input.value = t.limits[key] === null ? "" : String(t.limits[key]);
      return {
        key,
        input,
        row: h("div", { class: "field" }, h("label", { for: input.id }, pt(label)), input),
      };
    });
    const form = h(
      "form",
      { class: "form platform-limits" },
      h("h3", null, pt("limitsOf", { slug: t.slug })),
      h("p", { class: "hint" }, pt("limitsHint")),
      inputs.map((i) => i.row),
      h("button", { type: "submit", class: "btn" }, ct("save")),
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = Object.fromEntries(
        inputs.map(({ key, input }) => [key, input.value.trim() === "" ? null : Number(input.value)]),
      );
      try {
        const updated = await call<Tenant>(`/platform/tenants/${t.id}/limits`, { method: "PUT", body });
        items = items.map((x) => (x.id === updated.id ? updated : x));
        render();
        replace(editor);
        status.ok(pt("limitsSaved"));
        await loadAudit();
      } catch (err) {
        status.error(err);
      }
    });
    replace(editor, h("section", { class: "card" }, form));
    inputs[0]?.input.focus();
  }

  async function openSupport(t: Tenant): Promise<void> {
    try {
      const ticket = await call<{
        access_token: string;
        expires_in: number;
        tenant_id: string;
        slug: string;
      }>(`/platform/tenants/${t.id}/tickets`, { method: "POST", body: {} });
      // The read-only token becomes this browser's session for that tenant's cabinet.
      saveSession(ticket.tenant_id, ticket.access_token, ticket.expires_in);
      window.open(`/${ticket.slug}/my/usage`, "_blank", "noopener");
      await loadAudit();
    } catch (err) {
      status.error(err);
    }
  }

  async function loadAudit(): Promise<void> {
    const res = await call<PageOf<AuditEntry>>("/platform/audit", { query: { limit: 50 } });
    const slugOf = (id: string | null) => items.find((t) => t.id === id)?.slug ?? id?.slice(0, 8) ?? "—";
    replace(
      audit,
      h("h3", null, pt("auditTitle")),
      res.items.length === 0
        ? h("p", { class: "muted" }, pt("noAudit"))
        : table(
            pt("auditTitle"),
            [pt("colWhen"), pt("colWho"), pt("colWhat"), pt("colTenant")],
            res.items.map((e) => [
              formatDate(e.created_at, getLocale()),
              e.actor_email,
              h("code", null, e.action),
              slugOf(e.target_tenant_id),
            ]),
          ),
    );
  }

  search.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await page(true);
    } catch (err) {
      status.error(err);
    }
  });
  await page(true);
  await loadAudit();
  replace(
    main,
    h("p", { class: "muted" }, pt("platformIntro")),
    search,
    status.el,
    list,
    more,
    editor,
    h("section", { class: "card" }, audit),
  );
};

/** Whether the signed-in user is a platform operator (the console's menu entry shows only then). */
export async function isOperator(ctx: Pick<CabinetContext, "token">): Promise<boolean> {
  try {
    await api("/platform/me", { token: ctx.token() });
    return true;
  } catch {
    return false;
  }
}
