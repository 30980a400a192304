/**
 * Sends one lead alert to the tenant's owners who want them (`notify_leads`): an e-mail each, and a
 * Telegram message from the tenant's bot to each owner who linked their chat. Who gets what is read when
 * the alert goes out, so a switch turned off meanwhile is respected. A mail the server refuses is logged
 * (without the address) and recorded in `mail_deliveries` for the owner to see; a Telegram message that
 * fails is logged. Throws only when the recipients cannot be read (the caller tries again later).
 */
import { sql } from "drizzle-orm";
import { frontendBaseUrl, smtpConfig } from "../../config.ts";
import { openDatabase } from "../../db/client.ts";
import type { Bindings } from "../../env.ts";
import { log } from "../../lib/log.ts";
import { redactEmails } from "../../lib/redact.ts";
import { type AlertContact, leadAlertMail, leadAlertText } from "../../mail/lead-alert.ts";
import { createMailer } from "../../mail/mailer.ts";
import { tenantNameProblem } from "../../schemas/tenant-name.ts";
import { mailErrorText, recordMailFailure } from "../accounts/mail-deliveries.ts";
import { createBotApi } from "../telegram/bot-api.ts";
import { OPERATOR_RETRY } from "../telegram/operator-reply.ts";
import { sendText } from "../telegram/sender.ts";
import { telegramApiUrl } from "../telegram/settings.ts";
import { decryptBotToken } from "../telegram/token-crypto.ts";

/** New leads of one dialog (or, with `dialogId` null, given through `cip:identify` without one). */
export interface LeadAlert {
  dialogId: string | null;
  leads: AlertContact[];
  lastMessage: string | null;
}

type Recipients = {
  slug: string;
  name: string;
  locale: string;
  bot: string | null;
  owners: Array<{ id: string; email: string; chat: number | null }> | null;
};

export async function sendLeadAlert(
  env: Bindings,
  tenantId: string,
  alert: LeadAlert,
): Promise<{ mails: number; telegrams: number }> {
  const r = await recipients(env, tenantId);
  const owners = r?.owners ?? [];
  if (!r || owners.length === 0 || alert.leads.length === 0) return { mails: 0, telegrams: 0 };
  const base = frontendBaseUrl(env);
  const slug = encodeURIComponent(r.slug);
  const content = {
    locale: r.locale === "en" ? ("en" as const) : ("ru" as const),
    siteName: r.name.trim() && !tenantNameProblem(r.name.trim()) ? r.name.trim() : r.slug,
    contacts: alert.leads,
    lastMessage: alert.lastMessage,
    link: alert.dialogId ? `${base}/${slug}/my/dialogs/${alert.dialogId}` : `${base}/${slug}/my/leads`,
    profileLink: `${base}/${slug}/my/profile`,
    toLeads: !alert.dialogId,
  };
  const smtp = smtpConfig(env);
  // Without SMTP the stand-in mailer would log the mail's text: the visitor's contact and message.
  if (!smtp) log("info", "lead alert mail not sent: no SMTP_HOST set", { tenantId, owners: owners.length });
  const mailer = createMailer(smtp);
  let mails = 0;
  for (const owner of smtp ? owners : []) {
    try {
      await mailer.send(leadAlertMail(owner.email, content));
      mails += 1;
    } catch (err) {
      const error = mailErrorText(err, []);
      log("error", "lead alert mail not delivered", { tenantId, error: redactEmails(error) });
      await recordMailFailure(env, {
        tenantId,
        userId: owner.id,
        kind: "lead_alert",
        to: owner.email,
        error,
      });
    }
  }
  const chats = owners.map((o) => o.chat).filter((c): c is number => c !== null);
  const telegrams =
    r.bot && chats.length ? await sendTelegram(env, tenantId, r.bot, chats, leadAlertText(content)) : 0;
  return { mails, telegrams };
}

async function recipients(env: Bindings, tenantId: string): Promise<Recipients | undefined> {
  const handle = openDatabase(env, () => tenantId);
  try {
    const rows = await handle.db.execute<Recipients>(sqlRecipients(tenantId));
    return rows.rows[0];
  } finally {
    await handle.close();
  }
}

function sqlRecipients(tenantId: string) {
  return sql`
    select t.slug, t.name, t.locale, b.bot_token_encrypted as bot,
      (select json_agg(json_build_object('id', u.id, 'email', u.email, 'chat', u.telegram_chat_id) order by u.created_at)
       from users u
       where u.tenant_id = t.id and u.role = 'owner' and u.notify_leads and u.confirmed_at is not null) as owners
    from tenants t left join telegram_bots b on b.tenant_id = t.id
    where t.id = ${tenantId}`;
}

async function sendTelegram(
  env: Bindings,
  tenantId: string,
  encrypted: string,
  chats: number[],
  text: string,
): Promise<number> {
  let sent = 0;
  try {
    const token = await decryptBotToken(env, tenantId, encrypted);
    const api = createBotApi({ baseUrl: telegramApiUrl(env), token, retry: OPERATOR_RETRY });
    for (const chat of chats) {
      try {
        await sendText(api, chat, text);
        sent += 1;
      } catch (err) {
        log("warn", "lead alert not accepted by Telegram", {
          tenantId,
          error: err instanceof Error ? err.message.slice(0, 300) : String(err),
        });
      }
    }
  } catch (err) {
    log("warn", "lead alert: the bot token is unusable", {
      tenantId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  return sent;
}
