/**
 * The cabinet `/{slug}/my/...`: a client-side router over sections (history API; every address also
 * works on reload thanks to the SPA fallback), a role-aware menu (a member sees dialogs, saved items and
 * the profile), and sign-in handling: no token or a 401 sends the user to the login page and back.
 */
import { ApiError, type ApiOptions, api } from "../shared/api.ts";
import { h, replace } from "../shared/dom.ts";
import { setLocale } from "../shared/i18n.ts";
import { applyAccent, notice, setTitle, tenantFailure } from "../shared/page.ts";
import { clearSession, currentToken } from "../shared/session.ts";
import { loadTenant, type PublicTenant } from "../shared/tenant.ts";
import type { CabinetContext, Profile, View } from "./context.ts";
import { SECTIONS } from "./sections.ts";
import { ct } from "./texts.ts";
import { viewFailure } from "./ui.ts";
import { isOperator } from "./views/platform-view.ts";

function toLogin(tenant: PublicTenant): void {
  clearSession(tenant.id);
  location.assign(`/${tenant.slug}/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

function shell(ctx: CabinetContext, root: HTMLElement, landing: string): { render(): Promise<void> } {
  const { tenant, profile } = ctx;
  const sections = SECTIONS.filter(
    (s) => (!s.owner || profile.role === "owner") && (!s.operator || ctx.operator === true),
  );
  const heading = h("h2", { tabindex: -1, class: "view-title" });
  const main = h("div", { class: "view" });
  const links = sections.map((s) => h("a", { href: ctx.href(s.path), "data-section": s.path }, ct(s.key)));
  const nav = h(
    "nav",
    { class: "cab-nav", "aria-label": ct("nav") },
    h(
      "ul",
      null,
      links.map((a) => h("li", null, a)),
    ),
  );
  const logout = h("button", { type: "button", class: "btn btn-ghost btn-small" }, ct("logout"));
  logout.addEventListener("click", () => ctx.signOut());
  replace(
    root,
    h(
      "div",
      { class: "cab" },
      h(
        "header",
        { class: "cab-head" },
        h(
          "div",
          null,
          h("h1", null, h("a", { href: `/${tenant.slug}/chat` }, tenant.name), " · ", ct("cabinet")),
          h("p", { class: "muted" }, ct("signedInAs", { email: profile.email, role: ct(profile.role) })),
        ),
        logout,
      ),
      nav,
      h("main", { class: "cab-main", id: "main" }, heading, main),
    ),
  );
  root.setAttribute("aria-busy", "false");
  let first = true;

  async function render(): Promise<void> {
    const rest = location.pathname.split("/").filter(Boolean).slice(2).map(decodeURIComponent);
    const [name = landing, ...params] = rest;
    const section = SECTIONS.find((s) => s.path === name);
    for (const a of links) {
      if (a.dataset.section === section?.path) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    heading.textContent = section ? ct(section.key) : "404";
    setTitle(heading.textContent, tenant.name);
    replace(main, h("p", { class: "muted", role: "status" }, "…"));
    if (!first) heading.focus();
    first = false;
    if (!section) return viewFailure(main, new ApiError(404, "not_found", "No route"));
    if ((section.owner && profile.role !== "owner") || (section.operator && ctx.operator !== true))
      return viewFailure(main, new ApiError(403, "forbidden", ""));
    try {
      await (section.view as View)(ctx, main, params);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) viewFailure(main, err);
    }
  }
  return { render };
}

/**
 * The view `/{slug}/my` opens on: the first-hour checklist for an owner while it is neither hidden nor
 * complete, else the dialogs (also when the checklist cannot be read: it must never block the cabinet).
 */
async function landingSection(ctx: CabinetContext): Promise<string> {
  if (ctx.profile.role !== "owner") return "dialogs";
  try {
    const state = await ctx.call<{ dismissed: boolean; complete: boolean }>("/me/onboarding");
    return state.dismissed || state.complete ? "dialogs" : "start";
  } catch {
    return "dialogs";
  }
}

/** Mounts the cabinet of tenant `slug`. */
export async function mountCabinet(root: HTMLElement, slug: string): Promise<void> {
  notice(root, "…");
  let tenant: PublicTenant;
  try {
    tenant = await loadTenant(slug);
  } catch (err) {
    return tenantFailure(root, err);
  }
  setLocale(tenant.locale);
  applyAccent(tenant.widget.color);
  const stored = currentToken(tenant.id);
  if (!stored) return toLogin(tenant);
  let token = stored;
  const call = async <T>(path: string, opts: ApiOptions = {}): Promise<T> => {
    try {
      return await api<T>(`/tenants/${tenant.id}${path}`, {
        ...opts,
        token: currentToken(tenant.id) ?? token,
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) toLogin(tenant);
      throw err;
    }
  };
  let profile: Profile;
  try {
    profile = await call<Profile>("/me/profile");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    return notice(root, err instanceof ApiError ? err.message : String(err), "alert");
  }
  if (profile.locale) setLocale(profile.locale);
  let app: { render(): Promise<void> } | null = null;
  const ctx: CabinetContext = {
    tenant,
    profile,
    token: () => {
      token = currentToken(tenant.id) ?? token;
      return token;
    },
    call,
    href: (path) => `/${tenant.slug}/my${path ? `/${path}` : ""}`,
    navigate(path) {
      history.pushState(null, "", ctx.href(path));
      void app?.render();
    },
    signOut() {
      const leave = () => {
        clearSession(tenant.id);
        location.assign(`/${tenant.slug}/login`);
      };
      api(`/tenants/${tenant.id}/logout`, { method: "POST", token: ctx.token() }).then(leave, leave);
    },
  };
  ctx.operator = await isOperator(ctx);
  app = shell(ctx, root, await landingSection(ctx));
  root.addEventListener("click", (e) => {
    const a = (e.target as Element | null)?.closest?.("a");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.target)
      return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(`/${tenant.slug}/my`)) return;
    e.preventDefault();
    history.pushState(null, "", url.pathname + url.search);
    void app?.render();
  });
  window.addEventListener("popstate", () => void app?.render());
  await app.render();
}
