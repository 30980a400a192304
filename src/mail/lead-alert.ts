/**
 * The owner's alert about new leads, in the tenant's locale: the contacts, the visitor's last message and
 * a link to the dialog in the cabinet. The same words go by e-mail (text and HTML) and by the tenant's
 * Telegram bot (plain text). Visitor text never reaches the subject (one header line, no injection) and is
 * escaped in the HTML.
 */
import type { MailMessage } from "./mailer.ts";
import type { Locale } from "./templates.ts";

export interface AlertContact {
  kind: string;
  value: string;
  raw: string;
}

export interface LeadAlertContent {
  locale: Locale;
  siteName: string;
  contacts: AlertContact[];
  lastMessage: string | null;
  /** The dialog in the cabinet, or the leads list for contacts given without a dialog. */
  link: string;
  /** Where the owner turns alerts off. */
  profileLink: string;
  /** True when `link` is the leads list (no dialog). */
  toLeads: boolean;
}

/** The visitor's message as quoted: at most this many characters. */
const QUOTE_MAX = 500;

const TEXTS = {
  ru: {
    subject: (site: string, n: number) =>
      n > 1 ? `Новые контакты (${n}) — ${site}` : `Новый контакт — ${site}`,
    intro: (site: string) => `Посетитель чата «${site}» оставил контакты:`,
    last: "Его последнее сообщение:",
    open: "Открыть диалог",
    openLeads: "Открыть контакты",
    outro: (site: string) =>
      `Это письмо пришло вам как владельцу «${site}». Отключить уведомления можно в профиле:`,
  },
  en: {
    subject: (site: string, n: number) => (n > 1 ? `New leads (${n}) — ${site}` : `New lead — ${site}`),
    intro: (site: string) => `A visitor of the "${site}" chat left contact details:`,
    last: "Their last message:",
    open: "Open the dialog",
    openLeads: "Open the leads",
    outro: (site: string) => `You get this as an owner of "${site}". Turn these alerts off in your profile:`,
  },
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function contactLine(c: AlertContact): string {
  return c.raw.includes(c.value) ? c.raw : `${c.raw} (${c.value})`;
}

function quote(text: string): string {
  const chars = [...text.trim()];
  return chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX - 1).join("")}…` : chars.join("");
}

/** The alert as plain text (the mail's text part and the Telegram message). */
export function leadAlertText(c: LeadAlertContent): string {
  const t = TEXTS[c.locale];
  const lines = [t.intro(c.siteName), ...c.contacts.map((x) => `• ${contactLine(x)}`)];
  if (c.lastMessage?.trim()) lines.push("", t.last, `«${quote(c.lastMessage)}»`);
  lines.push("", `${c.toLeads ? t.openLeads : t.open}: ${c.link}`);
  return lines.join("\n");
}

/** The alert e-mail to one owner. */
export function leadAlertMail(to: string, c: LeadAlertContent): MailMessage {
  const t = TEXTS[c.locale];
  const text = `${leadAlertText(c)}\n\n${t.outro(c.siteName)} ${c.profileLink}\n`;
  const items = c.contacts.map((x) => `<li>${escapeHtml(contactLine(x))}</li>`).join("");
  const last = c.lastMessage?.trim()
    ? `<p>${escapeHtml(t.last)}</p><blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #cbd5e1;white-space:pre-wrap">${escapeHtml(quote(c.lastMessage))}</blockquote>`
    : "";
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(t.intro(c.siteName))}</p>
<ul>${items}</ul>
${last}
<p><a href="${escapeHtml(c.link)}" style="display:inline-block;padding:10px 16px;background:#2563eb;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(c.toLeads ? t.openLeads : t.open)}</a></p>
<p style="color:#64748b;font-size:14px">${escapeHtml(c.link)}</p>
<p style="color:#64748b;font-size:14px">${escapeHtml(t.outro(c.siteName))} <a href="${escapeHtml(c.profileLink)}">${escapeHtml(c.profileLink)}</a></p>
</body></html>`;
  return { to, subject: t.subject(c.siteName, c.contacts.length), text, html };
}
