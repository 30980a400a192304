/**
 * Outgoing mail behind one small interface: SMTP through worker-mailer (TCP sockets from the Worker), or,
 * with no SMTP configured, a log line saying a mail was not sent (its links redacted).
 */
import { LogLevel, WorkerMailer, type WorkerMailerOptions } from "worker-mailer";
import { log } from "../lib/log.ts";
import { redactLinks } from "../lib/redact.ts";

export interface SmtpConfig {
  host: string;
  port: number;
  user?: string;
  password?: string;
  from: string;
}

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
    const mailer = await openSession({
      host,
      port,
      secure: port === 465,
      startTls: port !== 465,
      ...(user && password ? { credentials: { username: user, password } } : {}),
      authType: ["plain", "login", "cram-md5"],
      socketTimeoutMs: 10_000,
      responseTimeoutMs: 10_000,
      // Failures reach the caller (which logs them without the address); no per-step chatter.
      logLevel: LogLevel.NONE,
    });
    try {
      await mailer.send({
        from: parseAddress(from),
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    } catch (err) {
      // The static WorkerMailer.send() skips close() after a failure, leaving the socket open. A polite
      // QUIT would race the RSET the library sends by itself, so the socket is simply closed.
      await abort(mailer);
      throw err;
    }
    await mailer.close().catch(() => {});
  }
}

type SocketReader = ReadableStreamDefaultReader<Uint8Array>;

/** The parts of worker-mailer 1.2.x this module reaches into (see `openSession`). */
interface MailerInternals {
  socket?: { close(): Promise<void> };
  reader: SocketReader;
  initializeSmtpSession(): Promise<void>;
  start(): Promise<void>;
}

/**
 * `WorkerMailer.connect()`, with one fix: worker-mailer's response reader loops on `reader.read()` until it
 * sees a line end and never checks `done`, so when the server closes the connection (it does after a 421,
 * e.g. an overloaded or greylisting server) the loop spins on resolved promises forever, starving the
 * isolate's timers so not even its own timeout fires. Here every reader it uses (STARTTLS swaps in a new
 * one) throws on end of stream instead, which its error paths already handle. Falls back to the plain
 * `connect()` if the internals ever change shape.
 */
async function openSession(options: WorkerMailerOptions): Promise<WorkerMailer> {
  const Ctor = WorkerMailer as unknown as new (o: WorkerMailerOptions) => WorkerMailer;
  const mailer = new Ctor(options);
  const internals = mailer as unknown as MailerInternals;
  if (
    typeof internals.initializeSmtpSession !== "function" ||
    typeof internals.start !== "function" ||
    typeof internals.reader?.read !== "function"
  ) {
    await mailer.close().catch(() => {});
    return WorkerMailer.connect(options);
  }
  let reader = endAware(internals.reader);
  Object.defineProperty(internals, "reader", {
    configurable: true,
    get: () => reader,
    set: (next: SocketReader) => {
      reader = endAware(next);
    },
  });
  try {
    await internals.initializeSmtpSession();
  } catch (err) {
    await abort(mailer);
    throw err;
  }
  internals.start().catch(() => {});
  return mailer;
}

/** Closes the session's socket without a goodbye; never rejects. */
async function abort(mailer: WorkerMailer): Promise<void> {
  try {
    await (mailer as unknown as MailerInternals).socket?.close();
  } catch {
    // Already closed.
  }
}

/** A reader whose `read()` rejects at end of stream instead of resolving `{done: true}`. */
function endAware(inner: SocketReader): SocketReader {
  return {
    read: async () => {
      const result = await inner.read();
      if (result.done) throw new Error("The SMTP server closed the connection.");
      return result;
    },
    releaseLock: () => inner.releaseLock(),
    cancel: (reason?: unknown) => inner.cancel(reason),
    get closed() {
      return inner.closed;
    },
  } as SocketReader;
}

/** Splits `Name <addr@host>` (the SMTP_FROM form) into what worker-mailer takes. */
export function parseAddress(value: string): { name?: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!match) return { email: value.trim() };
  const name = match[1]?.trim();
  return name ? { name, email: (match[2] ?? "").trim() } : { email: (match[2] ?? "").trim() };
}

/**
 * What stands in for SMTP when no SMTP_HOST is set: the mail is not sent, and the log says so with its
 * subject and text, but without the token-bearing link query or the full address (logs are kept and
 * shipped; a reset link in them would be a way into the account). `npm run dev` always has SMTP (MailDev).
 */
export class ConsoleMailer implements Mailer {
  async send(message: MailMessage): Promise<void> {
    log("info", "mail not sent: no SMTP_HOST set", {
      to: maskAddress(message.to),
      subject: message.subject,
      text: redactLinks(message.text),
    });
  }
}

/** `ann@example.com` -> `a***@example.com`: enough to tell mails apart, not to harvest addresses. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return "***";
  return `${address.slice(0, 1)}***${address.slice(at)}`;
}

export function createMailer(config: SmtpConfig | null): Mailer {
  return config ? new SmtpMailer(config) : new ConsoleMailer();
}
