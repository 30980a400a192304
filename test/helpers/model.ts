/** Drives the scriptable fake model started by the test setup. */
import { env } from "cloudflare:workers";
import type { Script } from "../../scripts/lib/fake-model.ts";

export type { Script };

interface RecordedRequest {
  model?: string;
  stream?: boolean;
  messages: Array<{ role: string; content: string }>;
}

let n = 0;
/** Registers a script and returns the tag to put in a message so the fake model follows it. */
export async function script(s: Script): Promise<string> {
  n += 1;
  const id = `s${Date.now().toString(36)}${n}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const res = await fetch(`${env.DEEPSEEK_API_URL}/__scripts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, script: s }),
  });
  if (res.status !== 204) throw new Error(`script registration failed: ${res.status}`);
  return `[[script:${id}]]`;
}

/** The chat requests the fake model received for a script tag. */
export async function requestsFor(tag: string): Promise<RecordedRequest[]> {
  const id = /\[\[script:([\w-]+)\]\]/.exec(tag)?.[1] ?? "";
  return (await (await fetch(`${env.DEEPSEEK_API_URL}/__requests?script=${id}`)).json()) as RecordedRequest[];
}
