/** The account e-mails, in the tenant's locale (ru by default, en), each with a text and an HTML part. */
import type { MailMessage } from "./mailer.ts";

export type Locale = "ru" | "en";
export type AccountMailKind = "confirm" | "already_registered" | "reset";

interface Texts {
  subject: string;
  intro: string;
  action: string;
  outro: string;
}

const TEXTS: Record<Locale, Record<AccountMailKind, (site: string) => Texts>> = {
  ru: {
    confirm: (site) => ({
      subject: `Подтвердите e-mail — ${site}`,
      intro: `Вы зарегистрировались на «${site}». Чтобы завершить регистрацию, подтвердите адрес:`,
      action: "Подтвердить e-mail",
      outro: "Ссылка действует 24 часа. Если вы не регистрировались, просто проигнорируйте это письмо.",
    }),
    already_registered: (site) => ({
      subject: `У вас уже есть аккаунт — ${site}`,
      intro: `Кто-то (возможно, вы) пытался зарегистрироваться на «${site}» с этим адресом, но аккаунт уже существует. Войдите или восстановите пароль:`,
      action: "Войти",
      outro: "Если это были не вы, ничего делать не нужно.",
    }),
    reset: (site) => ({
      subject: `Сброс пароля — ${site}`,
      intro: `Мы получили запрос на сброс пароля на «${site}». Задайте новый пароль по ссылке:`,
      action: "Задать новый пароль",
      outro:
        "Ссылка действует 1 час и работает один раз. Если вы не запрашивали сброс, проигнорируйте письмо.",
    }),
  },
  en: {
    confirm: (site) => ({
      subject: `Confirm your e-mail — ${site}`,
      intro: `You signed up at "${site}". To finish, confirm your address:`,
      action: "Confirm e-mail",
      outro: "The link works for 24 hours. If you did not sign up, ignore this message.",
    }),
    already_registered: (site) => ({
      subject: `You already have an account — ${site}`,
      intro: `Someone (maybe you) tried to sign up at "${site}" with this address, but the account already exists. Sign in or reset your password:`,
      action: "Sign in",
      outro: "If it was not you, there is nothing to do.",
    }),
    reset: (site) => ({
      subject: `Reset your password — ${site}`,
      intro: `We received a request to reset your password at "${site}". Set a new one here:`,
      action: "Set a new password",
      outro: "The link works once, for 1 hour. If you did not ask for it, ignore this message.",
    }),
  },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Builds one account e-mail with its link. */
export function accountMail(
  kind: AccountMailKind,
  opts: { to: string; locale: Locale; siteName: string; link: string },
): MailMessage {
  const t = TEXTS[opts.locale][kind](opts.siteName);
  const text = `${t.intro}\n\n${opts.link}\n\n${t.outro}\n`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(t.intro)}</p>
<p><a href="${escapeHtml(opts.link)}" style="display:inline-block;padding:10px 16px;background:#2563eb;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(t.action)}</a></p>
<p style="color:#64748b;font-size:14px">${escapeHtml(opts.link)}</p>
<p style="color:#64748b;font-size:14px">${escapeHtml(t.outro)}</p>
</body></html>`;
  return { to: opts.to, subject: t.subject, text, html };
}
