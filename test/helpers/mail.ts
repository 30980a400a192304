/** Reads what the app sent through the SMTP sink started by the test setup. */
import { env } from "cloudflare:workers";

export interface SinkMessage {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

export async function mailsTo(address: string): Promise<SinkMessage[]> {
  const res = await fetch(`${env.TEST_MAIL_API}/messages?to=${encodeURIComponent(address)}`);
  return (await res.json()) as SinkMessage[];
}

/** Waits until `address` has received at least `count` messages (mail leaves after the response). */
export async function waitForMails(address: string, count = 1, timeoutMs = 10_000): Promise<SinkMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await mailsTo(address);
    if (list.length >= count) return list;
    if (Date.now() > deadline) throw new Error(`expected ${count} mail(s) to ${address}, got ${list.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first link in a mail's text part that contains `path`. */
export function linkIn(mail: SinkMessage, path: string): URL {
  const match = mail.text.match(/https?:\/\/\S+/g)?.find((u) => u.includes(path));
  if (!match) throw new Error(`no link with ${path} in: ${mail.text}`);
  return new URL(match);
}

/** Makes the SMTP sink refuse (or accept again) every message. */
export async function setSmtpDown(down: boolean): Promise<void> {
  await fetch(`${env.TEST_MAIL_API}/down?value=${down}`, { method: "POST" });
}
