/**
 * The contract fuzzer's engine: a seeded tenant with one of every resource (so path ids can hit real
 * rows), turning a generated request into a real call, and checking the answer against the document.
 */
import { env } from "cloudflare:workers";
import { SseParser } from "../../src/llm/sse-parser.ts";
import { PNG } from "../fixtures/uploads.ts";
import { bearer, GOOD_PASSWORD, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { call, callJson, type ErrorEnvelope } from "../helpers/http.ts";
import { envelopeProblems, type OpenApiDocument, type Operation, validate } from "../helpers/openapi.ts";

export type BodySpec =
  | { kind: "json"; value: unknown; type?: string }
  | { kind: "text"; text: string; type?: string }
  | { kind: "bytes"; bytes: Uint8Array<ArrayBuffer>; type: string }
  | { kind: "multipart"; bytes: Uint8Array<ArrayBuffer>; type: string; name: string; field?: string };

export interface FuzzRequest {
  /** What this request tries, for failure messages. */
  label: string;
  /** Path parameters, already URL-encoded (a case may put raw `%2F` in on purpose). */
  path: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: BodySpec;
}

export interface Fixture {
  owner: Owner;
  member: Owner;
  /** A member whose only use is to log out (its session is the one the logout run ends). */
  leaver: Owner;
  visitor: string;
  /** Real values for path parameters, by name. */
  pathHints: Record<string, string[]>;
  /** Real values for query parameters and top-level body fields, by name. */
  fieldHints: Record<string, string[]>;
  /** Secrets no answer may contain; the fuzz run adds the bot tokens it connects. */
  secrets: Set<string>;
}

async function created(res: Response, what: string): Promise<string> {
  if (res.status !== 201 && res.status !== 200) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id?: string; dialog_id?: string };
  return body.id ?? body.dialog_id ?? "";
}

/** An owner, members, and one chunk, saved item, gallery + image, file, document, lead and dialog of each kind. */
export async function seedFixture(): Promise<Fixture> {
  const owner = await seedOwner();
  const member = await seedMember(owner);
  const leaver = await seedMember(owner);
  const me = `/api/v1/tenants/${owner.tenantId}/me`;
  const auth = bearer(owner.token);
  const upload = (path: string, bytes: Uint8Array<ArrayBuffer>, type: string) =>
    call(path, { method: "POST", headers: { "content-type": type, ...auth }, body: bytes });
  const chunk = await created(
    await callJson("POST", `${me}/prompt/chunks`, { question: "Hours?", text: "9-18" }, auth),
    "chunk",
  );
  const history = await call(`${me}/chunks/history?limit=1`, { headers: auth });
  const revision = ((await history.json()) as { items: Array<{ id: string }> }).items[0]?.id ?? "";
  // A base prompt revision too: `revision_id` names one of either history.
  const baseChange = await callJson("PUT", `${me}/prompt/base`, { text: "Fuzz base prompt." }, auth);
  const baseRevision = ((await baseChange.json()) as { revision?: { id: string } }).revision?.id ?? "";
  const saved = await created(
    await callJson("POST", `${me}/saved`, { kind: "note", note: "n" }, auth),
    "saved",
  );
  const group = await created(await callJson("POST", `${me}/galleries`, { title: "Fuzz" }, auth), "gallery");
  const image = await created(
    await upload(`${me}/galleries/${group}/images?name=a.png`, PNG, "image/png"),
    "image",
  );
  const text = new TextEncoder().encode("Opening hours are nine to six. Delivery takes two days.");
  const file = await created(await upload(`${me}/files?name=a.txt`, text, "text/plain"), "file");
  const document = await created(
    await upload(`${me}/documents?name=faq.txt`, text, "text/plain"),
    "document",
  );
  const visitor = `fuzz-visitor-${owner.slug}`;
  const dialogRes = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/chat/message`, {
    user_id: visitor,
    message: "Hello, write to me at fuzz-lead@example.com",
  });
  // The answer's id: the visitor's rating route (answer feedback) names it.
  const answer = ((await dialogRes.clone().json()) as { message_id?: string }).message_id ?? "";
  const dialog = await created(dialogRes, "dialog");
  const adminDialog = await created(
    await callJson("POST", `/api/v1/tenants/${owner.tenantId}/admin/chat/message`, { message: "Hi" }, auth),
    "admin dialog",
  );
  // A key no answer or log line may ever show again (it is shown once, when made).
  const keyRes = await callJson("POST", `${me}/api-keys`, { name: "fuzz", scopes: ["read"] }, auth);
  const apiKey = (await keyRes.clone().json()) as { key?: string };
  const keyId = await created(keyRes, "api key");
  // A hook on the local receiver; its secret, shown once, must never appear again.
  const hookRes = await callJson(
    "POST",
    `${me}/webhooks`,
    { url: `${env.TEST_WEBHOOK_RECEIVER}/hook/fuzz-${owner.slug}`, events: ["lead.created"] },
    auth,
  );
  const hook = (await hookRes.clone().json()) as { secret?: string };
  const webhookId = await created(hookRes, "webhook");
  // An MCP server on the local SDK-built one (docs/mcp.md); its header value must never show again.
  const mcpHeader = `Bearer fuzz-mcp-${crypto.randomUUID()}`;
  const mcpServerId = await created(
    await callJson(
      "POST",
      `${me}/mcp-servers`,
      { name: "fuzz", url: `${env.TEST_MCP_SERVER}/mcp`, headers: { Authorization: mcpHeader } },
      auth,
    ),
    "mcp server",
  );
  return {
    owner,
    member,
    leaver,
    visitor,
    pathHints: {
      tenant_id: [owner.tenantId],
      slug: [owner.slug],
      chunk_id: [chunk],
      revision_id: [revision, baseRevision],
      item_id: [saved],
      group_id: [group],
      image_id: [image],
      file_id: [file],
      document_id: [document],
      dialog_id: [dialog],
      message_id: [answer],
      user_id: [member.userId],
      key_id: [keyId],
      webhook_id: [webhookId],
      server_id: [mcpServerId],
    },
    fieldHints: { user_id: [visitor], dialog_id: [dialog, adminDialog], email: [owner.email, member.email] },
    secrets: new Set(
      [
        env.JWT_SECRET,
        env.DEEPSEEK_API_KEY,
        env.TELEGRAM_TOKEN_KEY,
        GOOD_PASSWORD,
        "scrypt$",
        apiKey.key,
        hook.secret,
        mcpHeader,
      ].filter((s): s is string => typeof s === "string" && s.length > 0),
    ),
  };
}

function encodeBody(body: BodySpec | undefined): { body?: BodyInit; type?: string } {
  if (!body) return {};
  switch (body.kind) {
    case "json":
      return { body: JSON.stringify(body.value), type: body.type ?? "application/json" };
    case "text":
      return { body: body.text, ...(body.type === undefined ? {} : { type: body.type }) };
    case "bytes":
      return { body: body.bytes, type: body.type };
    case "multipart": {
      const form = new FormData();
      form.set(body.field ?? "file", new File([body.bytes], body.name, { type: body.type }));
      return { body: form };
    }
  }
}

/** encodeURIComponent that takes lone surrogates too (a URL cannot carry them: they become U+FFFD). */
export function pct(value: string): string {
  return encodeURIComponent(
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"),
  );
}

export function send(op: Operation, req: FuzzRequest): Promise<Response> {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => req.path[name] ?? "");
  const qs = req.query.map(([k, v]) => `${pct(k)}=${pct(v)}`).join("&");
  const { body, type } = encodeBody(req.body);
  const headers: Record<string, string> = { ...req.headers };
  if (type !== undefined) headers["content-type"] = type;
  return call(qs ? `${path}?${qs}` : path, { method: op.method, headers, ...(body ? { body } : {}) });
}

/** Live feeds (`…/events`) stay open until the client leaves; they must start with a `state` event. */
const LIVE_FEED = /\/events$/;

/** Reads an SSE answer to its end (bounded; a live feed to its first event) and reports what is wrong. */
async function sseProblems(
  res: Response,
  resuming: boolean,
  timeoutMs = 15_000,
  live = false,
): Promise<{ text: string; problems: string[] }> {
  const reader = res.body?.getReader();
  if (!reader) return { text: "", problems: ["SSE answer without a body"] };
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: string }> = [];
  let text = "";
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const timer = new Promise<"timeout">((r) =>
      setTimeout(() => r("timeout"), Math.max(0, deadline - Date.now())),
    );
    const next = await Promise.race([reader.read(), timer]);
    if (next === "timeout") {
      await reader.cancel();
      return { text, problems: [`SSE stream still open after ${timeoutMs} ms`] };
    }
    if (next.done) break;
    const chunk = decoder.decode(next.value, { stream: true });
    text += chunk;
    events.push(...parser.push(chunk));
    if (live && events.length > 0) {
      await reader.cancel();
      break;
    }
  }
  // A live feed was cut on purpose after its first events: a half-read event is not one.
  if (!live) events.push(...parser.flush());
  const problems: string[] = [];
  // A chat stream ends with an unnamed `data: [DONE]` (the original backend's end marker), after its end event.
  const terminated = !live && events.at(-1)?.event === "message" && events.at(-1)?.data === "[DONE]";
  if (terminated) events.pop();
  for (const e of events) {
    try {
      JSON.parse(e.data);
    } catch {
      problems.push(`SSE event ${e.event} carries non-JSON data ${e.data.slice(0, 80)}`);
    }
  }
  // A new turn always ends in done or error; a resume after the last event may have nothing left to send.
  const last = events.at(-1)?.event;
  if (live) {
    if (events[0]?.event !== "state") problems.push(`live feed began with ${events[0]?.event ?? "no event"}`);
  } else if ((last || !resuming) && last !== "done" && last !== "error") {
    problems.push(`SSE stream ended with ${last ?? "no event"}`);
  } else if (!terminated) {
    problems.push("SSE stream did not end with data: [DONE]");
  }
  return { text, problems };
}

/** Sends `req` and lists every way the answer breaks the contract (empty when it keeps it). */
export async function exercise(
  doc: OpenApiDocument,
  op: Operation,
  req: FuzzRequest,
  fx: Fixture,
): Promise<{ status: number; problems: string[] }> {
  const res = await send(op, req);
  const problems: string[] = [];
  const status = String(res.status);
  const type = res.headers.get("content-type") ?? "";
  const documented = op.responses[status];
  let text: string;
  if (res.status >= 500) problems.push(`answered ${res.status}`);
  const content = documented?.content ?? {};
  if (res.status >= 200 && res.status < 300 && content["text/event-stream"]) {
    if (!type.startsWith("text/event-stream")) problems.push(`SSE route answered ${type}`);
    const read = await sseProblems(res, op.method === "GET", 15_000, LIVE_FEED.test(op.path));
    text = read.text;
    problems.push(...read.problems);
  } else {
    text = await res.text();
    const json = content["application/json"];
    const isError = res.status >= 300 && res.status !== 304;
    if (isError || json) {
      if (!type.includes("application/json"))
        problems.push(`answered ${type || "no content type"}, not JSON`);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`body is not JSON: ${text.slice(0, 120)}`);
      }
      if (isError) problems.push(...envelopeProblems(body));
      // A path id like %2e%2e is a dot segment: the URL resolves elsewhere and no route matches.
      const noRoute =
        res.status === 404 && /^No route for /.test(String((body as ErrorEnvelope)?.error?.message));
      if (!documented && !noRoute) problems.push(`status ${res.status} is not documented`);
      else if (json?.schema) problems.push(...validate(doc, json.schema, body, { strict: true }));
    } else if (!documented) {
      problems.push(`status ${res.status} is not documented`);
    } else if (Object.keys(content).length === 0 && text !== "") {
      problems.push(`documented without a body, answered ${text.length} characters`);
    }
  }
  for (const secret of fx.secrets) if (text.includes(secret)) problems.push(`the answer contains a secret`);
  return { status: res.status, problems: problems.map((p) => `${op.id} [${req.label}] ${res.status}: ${p}`) };
}
