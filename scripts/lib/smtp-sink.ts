/**
 * A real SMTP server that keeps what it receives, with a small HTTP API to read it back:
 * `GET /messages?to=addr` -> [{to, from, subject, text, html, date}], `DELETE /messages`.
 * Tests point SMTP_HOST/SMTP_PORT at it; the Worker talks SMTP to it over a TCP socket.
 */
import { createServer, type Server } from "node:http";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SinkMessage {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  date: string;
}

export interface SmtpSink {
  smtpPort: number;
  apiUrl: string;
  /** While down, the SMTP server refuses every message (to test delivery failures). */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

export async function startSmtpSink(opts: {
  smtpPort: number;
  apiPort: number;
  host?: string;
}): Promise<SmtpSink> {
  const host = opts.host ?? "127.0.0.1";
  const messages: SinkMessage[] = [];
  let down = false;
  const smtp = new SMTPServer({
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      if (down) {
        stream.resume();
        callback(Object.assign(new Error("service unavailable"), { responseCode: 421 }));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            date: new Date().toISOString(),
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  // A client that drops its connection (ECONNRESET) is an event of that connection, not of the sink: without
  // a listener, smtp-server re-emits it as an unhandled 'error' that ends the whole test process.
  smtp.on("error", (err: Error) => console.error(`smtp sink: ${err.message}`));
  await new Promise<void>((resolve) => smtp.listen(opts.smtpPort, host, resolve));

  const api: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sink");
    if (url.pathname === "/messages" && req.method === "DELETE") {
      messages.length = 0;
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === "/messages" && req.method === "GET") {
      const to = url.searchParams.get("to")?.toLowerCase();
      const list = to ? messages.filter((m) => m.to.includes(to)) : messages;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(list));
      return;
    }
    if (url.pathname === "/down" && req.method === "POST") {
      down = url.searchParams.get("value") !== "false";
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => api.listen(opts.apiPort, host, resolve));

  return {
    smtpPort: opts.smtpPort,
    apiUrl: `http://${host}:${opts.apiPort}`,
    setDown: (value) => {
      down = value;
    },
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => api.close(() => resolve()));
    },
  };
}
