/**
 * Outgoing mail behind one small interface: SMTP through worker-mailer (TCP sockets from the Worker), or,
 * with no SMTP configured, the message printed to the log so local use still works.
 */
import { WorkerMailer } from "worker-mailer";
import type { SmtpConfig } from "../config.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export class SmtpMailer implements Mailer {
  constructor(private readonly config: SmtpConfig) {}

  async send(message: MailMessage): Promise<void> {
    const { host, port, user, password, from } = this.config;
    await WorkerMailer.send(
      {
        host,
        port,
        secure: port === 465,
        startTls: port !== 465,
        ...(user && password ? { credentials: { username: user, password } } : {}),
        authType: ["plain", "login", "cram-md5"],
        socketTimeoutMs: 10_000,
        responseTimeoutMs: 10_000,
      },
      {
        from: parseAddress(from),
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      },
    );
  }
}

/** Splits `Name <addr@host>` (the SMTP_FROM form) into what worker-mailer takes. */
export function parseAddress(value: string): { name?: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!match) return { email: value.trim() };
  const name = match[1]?.trim();
  return name ? { name, email: (match[2] ?? "").trim() } : { email: (match[2] ?? "").trim() };
}

/** Prints the whole message (links included) to the log: the dev fallback when no SMTP is set. */
export class ConsoleMailer implements Mailer {
  async send(message: MailMessage): Promise<void> {
    console.log(
      `[mail] no SMTP_HOST set; this message was not sent:\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}`,
    );
  }
}

export function createMailer(config: SmtpConfig | null): Mailer {
  return config ? new SmtpMailer(config) : new ConsoleMailer();
}
