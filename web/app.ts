/**
 * The entry of every page (the HTML shell is the same for all paths): reads the path and loads the code
 * of that page group on demand, so the chat does not download the cabinet.
 *   /                           landing with tenant sign-up       /signup
 *   /{slug}/chat[/embed]        public chat (embed: no chrome)
 *   /{slug}/register|login|confirm|forgot-password|reset-password   account pages
 *   /{slug}/my[/...]            cabinet (owner or member)
 */
import { byId } from "./shared/dom.ts";
import { setLocale, t } from "./shared/i18n.ts";
import { notice } from "./shared/page.ts";

const ACCOUNT_PAGES = new Set(["register", "login", "confirm", "forgot-password", "reset-password"]);
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

async function route(root: HTMLElement): Promise<void> {
  const parts = location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const [slug, page, ...rest] = parts;
  if (!slug || (slug === "signup" && !page)) {
    const { mountLanding } = await import("./account/landing-page.ts");
    return mountLanding(root, slug === "signup");
  }
  if (!SLUG.test(slug)) return notice(root, t("notFound"), "alert");
  if (!page) {
    location.replace(`/${slug}/chat`);
    return;
  }
  if (page === "chat" && (rest.length === 0 || (rest.length === 1 && rest[0] === "embed"))) {
    const { mountChat } = await import("./chat/chat-page.ts");
    return mountChat(root, slug, rest[0] === "embed");
  }
  if (ACCOUNT_PAGES.has(page) && rest.length === 0) {
    const { mountAccountPage } = await import("./account/account-pages.ts");
    return mountAccountPage(root, slug, page);
  }
  if (page === "my") {
    const { mountCabinet } = await import("./cabinet/cabinet-app.ts");
    return mountCabinet(root, slug);
  }
  notice(root, t("notFound"), "alert");
}

setLocale(navigator.language?.toLowerCase().startsWith("ru") ? "ru" : "en");
const root = byId("app");
route(root).catch((err: unknown) => {
  // A page open across a deploy asks for chunks that are gone: load the new version, once.
  if (err instanceof TypeError && /import|module/i.test(err.message)) {
    try {
      if (!sessionStorage.getItem("cip:reloaded")) {
        sessionStorage.setItem("cip:reloaded", "1");
        return location.reload();
      }
    } catch {
      // storage blocked: fall through to the notice
    }
  }
  console.error(err);
  notice(root, t("serverError"), "alert");
});
