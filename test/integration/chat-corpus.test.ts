/**
 * The corpus of realistic model replies (test/fixtures/model-replies.ts) driven end to end: every web case
 * through the SSE route (random chunks, and chunks of one character for the tricky spellings), the JSON
 * route and Telegram; every admin case through both admin chat routes. On every surface a reader sees —
 * streamed tokens, JSON reply, command results, Telegram messages, the stored message read back through the
 * cabinet — no tag in any spelling, no empty fence, no raw UUID (visitor channels), and the commands that
 * ran are the expected ones.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { telegramDialogId } from "../../src/services/telegram/dialog-id.ts";
import {
  DOC_NAME,
  DOC_TEXT,
  fillPlaceholders,
  GALLERY_TITLE,
  MODEL_REPLIES,
  type ModelReplyCase,
  SEED_CHUNK,
} from "../fixtures/model-replies.ts";
import { PNG, uploadRaw } from "../fixtures/uploads.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { visitor } from "../helpers/chat.ts";
import { call, callJson } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, type ReadEvent, readSse, tokensText } from "../helpers/sse.ts";
import {
  type ConnectedBot,
  chatId,
  connectBot,
  deliver,
  type RecordedCall,
  telegramCalls,
  textUpdate,
} from "../helpers/telegram.ts";

const ANY_TAG = /\[\s*\/?\s*execute\s*\]/i;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const EMPTY_FENCE = "```\n```";
const CONCURRENCY = 6;
/** Cases also streamed one character per chunk: the spellings a split is most likely to break. */
const ONE_CHAR_CASES = [
  "web-canonical-show-en",
  "web-spaced-slash-en",
  "web-wide-gaps-ru",
  "web-bold-lowercase-oneline-ru",
  "web-oneline-spaced-lower-ru",
  "web-fence-text-en",
  "web-inline-backticks-ru",
  "web-fence-two-blocks-ru",
  "web-fenced-at-end-en",
  "web-inline-backticks-at-end-ru",
  "web-five-blocks-cap-variants-en",
  "web-unclosed-fenced-ru",
  "web-stray-close-lower-end-en",
  "web-brackets-execute-lookalikes-ru",
  "web-crlf-en",
];

interface Surface {
  name: string;
  text: string;
}
/** What one run of a case showed: its visible surfaces and the commands that ran. */
interface Run {
  surfaces: Surface[];
  commands: Array<{ name: string; ok: boolean }>;
}
type Outcome = { run: Run } | { error: unknown };

interface StoredMessage {
  role: string;
  content: string;
  commands: Array<{ name: string; ok: boolean; result?: string }>;
}

let owner: Owner;
let bot: ConnectedBot;
const values: Record<string, string> = {};

const me = (o: Owner = owner) => `/api/v1/tenants/${o.tenantId}/me`;
const fill = (text: string) => fillPlaceholders(text, values);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${res.status} (want ${status}): ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** The dialog's assistant message as the cabinet shows it, once stored. */
async function storedReply(o: Owner, dialogId: string): Promise<StoredMessage> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await call(`${me(o)}/dialogs/${dialogId}`, { headers: bearer(o.token) });
    if (res.status === 200) {
      const body = (await res.json()) as { messages: StoredMessage[] };
      const reply = body.messages.find((m) => m.role === "assistant");
      if (reply) return reply;
    } else await res.body?.cancel();
    if (Date.now() > deadline) throw new Error(`dialog ${dialogId}: no stored reply`);
    await sleep(50);
  }
}

const storedSurfaces = (m: StoredMessage): Surface[] => [
  { name: "stored message", text: m.content },
  ...m.commands.map((c, i) => ({ name: `stored command result ${i + 1}`, text: String(c.result ?? "") })),
];

/** A turn on an SSE chat route of `o`'s tenant (`headers` authenticate the admin chat). */
async function runSse(
  o: Owner,
  path: string,
  body: Record<string, unknown>,
  headers: HeadersInit,
): Promise<Run> {
  const res = await callJson("POST", path, body, headers);
  if (res.status !== 200) throw new Error(`SSE ${res.status}: ${await res.text()}`);
  const events: ReadEvent[] = await readSse(res);
  const error = events.find((e) => e.event === "error");
  if (error) throw new Error(`SSE error event: ${JSON.stringify(error.data)}`);
  if (events.at(-1)?.event !== "done") throw new Error(`SSE ended with ${events.at(-1)?.event}`);
  const commands = events
    .filter((e) => e.event === "command")
    .map((e) => ({ name: String(e.data.name), ok: e.data.ok === true, result: String(e.data.result ?? "") }));
  const stored = await storedReply(o, dialogIdOf(events));
  return {
    surfaces: [
      { name: "SSE tokens", text: tokensText(events) },
      ...commands.map((c, i) => ({ name: `SSE command result ${i + 1}`, text: c.result })),
      ...storedSurfaces(stored),
    ],
    commands: commands.map(({ name, ok }) => ({ name, ok })),
  };
}

/** A turn on a JSON chat route of `o`'s tenant. */
async function runJson(
  o: Owner,
  path: string,
  body: Record<string, unknown>,
  headers: HeadersInit,
): Promise<Run> {
  const reply = await json<{
    reply: string;
    dialog_id: string;
    status: string;
    commands: Array<{ name: string; ok: boolean; result: string }>;
  }>(await callJson("POST", path, body, headers));
  if (reply.status !== "complete") throw new Error(`JSON reply status ${reply.status}`);
  const stored = await storedReply(o, reply.dialog_id);
  return {
    surfaces: [
      { name: "JSON reply", text: reply.reply },
      ...reply.commands.map((c, i) => ({ name: `JSON command result ${i + 1}`, text: c.result })),
      ...storedSurfaces(stored),
    ],
    commands: reply.commands.map(({ name, ok }) => ({ name, ok })),
  };
}

/** One Telegram turn: the update to the webhook, then every message and caption the bot sent to the chat. */
async function runTelegram(reply: string): Promise<Run> {
  const chat = chatId();
  const tag = await script({ reply, chunkSize: "random" });
  const res = await deliver(owner.tenantId, bot.secret, textUpdate(chat, `Подскажите ${tag}`));
  if (res.status !== 200) throw new Error(`webhook ${res.status}: ${await res.text()}`);
  const stored = await storedReply(owner, await telegramDialogId(owner.tenantId, chat));
  const photosExpected = stored.commands.some((c) => c.name === "SHOW_GALLERY" && c.ok);
  const deadline = Date.now() + 10_000;
  let sent: RecordedCall[] = [];
  for (;;) {
    sent = (await telegramCalls(bot.token)).filter((c) => c.params.chat_id === chat && c.status === 200);
    const texts = sent.some((c) => c.method === "sendMessage");
    const photos = sent.some((c) => c.method === "sendPhoto" || c.method === "sendMediaGroup");
    if (texts && (photos || !photosExpected)) break;
    if (Date.now() > deadline)
      throw new Error(`telegram chat ${chat}: sent only ${sent.map((c) => c.method)}`);
    await sleep(50);
  }
  const surfaces: Surface[] = [];
  for (const c of sent) {
    if (c.method === "sendMessage") surfaces.push({ name: "Telegram message", text: String(c.params.text) });
    if (c.method === "sendPhoto" && c.params.caption !== undefined)
      surfaces.push({ name: "Telegram photo caption", text: String(c.params.caption) });
    if (c.method === "sendMediaGroup")
      for (const m of c.params.media as Array<{ caption?: string }>)
        if (m.caption !== undefined) surfaces.push({ name: "Telegram album caption", text: m.caption });
  }
  return {
    surfaces: [...surfaces, ...storedSurfaces(stored)],
    commands: stored.commands.map(({ name, ok }) => ({ name, ok })),
  };
}

/** Asserts one run against its case: commands, the no-tag invariant, fences, UUIDs, includes/excludes. */
function check(c: ModelReplyCase, label: string, outcome: Outcome | undefined, visitorChannel: boolean) {
  if (!outcome) throw new Error(`${c.id} (${label}) did not run`);
  if ("error" in outcome) throw new Error(`${c.id} (${label}): ${String(outcome.error)}`);
  const { run } = outcome;
  const where = (s: Surface) => `${c.id} (${label}), ${s.name}: ${JSON.stringify(s.text)}`;
  expect(
    run.commands.map((x) => x.name),
    `${c.id} (${label}) commands`,
  ).toEqual(c.expect.commands);
  if (c.expect.ok)
    expect(
      run.commands.map((x) => x.ok),
      `${c.id} (${label}) ok`,
    ).toEqual(c.expect.ok);
  for (const s of run.surfaces) {
    expect(s.text, where(s)).not.toMatch(ANY_TAG);
    expect(s.text, where(s)).not.toContain(EMPTY_FENCE);
    if (visitorChannel) expect(s.text, where(s)).not.toMatch(UUID);
  }
  const main = run.surfaces.filter((s) => !/command result|caption/.test(s.name));
  for (const s of main) {
    for (const want of c.expect.visibleIncludes ?? []) expect(s.text, where(s)).toContain(fill(want));
    for (const unwanted of c.expect.visibleExcludes ?? [])
      expect(s.text, where(s)).not.toContain(fill(unwanted));
  }
}

/** Runs `jobs` with at most {@link CONCURRENCY} at a time. */
async function pool(jobs: Array<() => Promise<void>>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      await job?.();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function seedKnowledge(): Promise<void> {
  const group = await json<{ id: string }>(
    await callJson("POST", `${me()}/galleries`, { title: GALLERY_TITLE }, bearer(owner.token)),
    201,
  );
  await json(
    await uploadRaw(`${me()}/galleries/${group.id}/images`, PNG, owner.token, {
      type: "image/png",
      name: "okno.png",
    }),
    201,
  );
  const doc = await json<{ id: string; title: string }>(
    await uploadRaw(`${me()}/documents`, new TextEncoder().encode(DOC_TEXT), owner.token, {
      type: "text/plain",
      name: DOC_NAME,
    }),
    201,
  );
  Object.assign(values, {
    GALLERY_ID: group.id,
    DOC_ID: doc.id,
    DOC_TITLE: doc.title,
    MISSING_ID: crypto.randomUUID(),
  });
}

interface Chunk {
  id: string;
  question: string;
  text: string;
}

const chunks = async (o: Owner) =>
  (await json<{ items: Chunk[] }>(await call(`${me(o)}/prompt/chunks`, { headers: bearer(o.token) }))).items;

/** Leaves exactly one chunk in `o`'s tenant, {@link SEED_CHUNK} as made; returns its id (`{{CHUNK_ID}}`). */
async function resetChunks(o: Owner): Promise<string> {
  let kept: string | undefined;
  for (const c of await chunks(o)) {
    if (!kept && c.question === SEED_CHUNK.question && c.text === SEED_CHUNK.text) {
      kept = c.id;
      continue;
    }
    const res = await call(`${me(o)}/prompt/chunks/${c.id}`, { method: "DELETE", headers: bearer(o.token) });
    if (res.status !== 204) throw new Error(`chunk delete: ${res.status} ${await res.text()}`);
  }
  if (kept) return kept;
  return (
    await json<Chunk>(await callJson("POST", `${me(o)}/prompt/chunks`, SEED_CHUNK, bearer(o.token)), 201)
  ).id;
}

/** The chunk list a case must leave: the seeded chunk as its command left it, plus what ADD_CHUNK added. */
function expectedChunks(c: ModelReplyCase): Array<{ question: string; text: string }> {
  const ran = c.expect.commands.map((name, i) => ({ name, ok: c.expect.ok?.[i] ?? true }));
  const changed = ran.some((r) => (r.name === "EDIT_CHUNK" || r.name === "DELETE_CHUNK") && r.ok);
  const added = ran.some((r) => r.name === "ADD_CHUNK" && r.ok);
  const out: Array<{ question: string; text: string }> = [];
  if (!changed) out.push(SEED_CHUNK);
  else if (c.chunk) out.push(c.chunk);
  if (added && c.chunk) out.push(c.chunk);
  return out;
}

const byQuestion = (a: { question: string }, b: { question: string }) => a.question.localeCompare(b.question);

interface AdminOutcome {
  outcome: Outcome;
  chunks: Array<{ question: string; text: string }>;
}

/** One admin case on one route, in `o`'s tenant: the turn, then the chunk list it left. */
async function runAdmin(o: Owner, c: ModelReplyCase, route: "SSE" | "JSON"): Promise<AdminOutcome> {
  const chunkId = await resetChunks(o);
  const reply = fillPlaceholders(c.reply, { ...values, CHUNK_ID: chunkId });
  const body = { message: `Запомни ${await script({ reply, chunkSize: "random" })}` };
  const path = `/api/v1/tenants/${o.tenantId}/admin/chat`;
  let outcome: Outcome;
  try {
    outcome = {
      run:
        route === "SSE"
          ? await runSse(o, path, body, bearer(o.token))
          : await runJson(o, `${path}/message`, body, bearer(o.token)),
    };
  } catch (error) {
    outcome = { error };
  }
  return { outcome, chunks: (await chunks(o)).map(({ question, text }) => ({ question, text })) };
}

const webCases = MODEL_REPLIES.filter((c) => c.channel === "web");
const adminCases = MODEL_REPLIES.filter((c) => c.channel === "admin");
const outcomes = new Map<string, Outcome>();
const adminOutcomes = new Map<string, AdminOutcome>();
const key = (id: string, label: string) => `${id} ${label}`;

/** Every web case on every surface, through a pool of concurrent turns. */
async function runWebCases(): Promise<void> {
  const path = `/api/v1/tenants/${owner.tenantId}/chat`;
  const jobs: Array<() => Promise<void>> = [];
  const job = (id: string, label: string, run: () => Promise<Run>) =>
    jobs.push(async () => {
      try {
        outcomes.set(key(id, label), { run: await run() });
      } catch (error) {
        outcomes.set(key(id, label), { error });
      }
    });
  for (const c of webCases) {
    const reply = fill(c.reply);
    const turn = async (chunkSize: number | "random") => ({
      user_id: visitor(),
      message: `Вопрос ${await script({ reply, chunkSize })}`,
    });
    job(c.id, "SSE", async () => runSse(owner, path, await turn("random"), {}));
    if (ONE_CHAR_CASES.includes(c.id)) job(c.id, "SSE 1", async () => runSse(owner, path, await turn(1), {}));
    job(c.id, "JSON", async () => runJson(owner, `${path}/message`, await turn("random"), {}));
    job(c.id, "Telegram", () => runTelegram(reply));
  }
  await pool(jobs);
}

/** The admin cases one after another on one route (they share the tenant's chunk list). */
async function runAdminCases(o: Owner, route: "SSE" | "JSON"): Promise<void> {
  for (const c of adminCases) adminOutcomes.set(key(c.id, route), await runAdmin(o, c, route));
}

// The web cases share one tenant; the admin cases run beside them, the SSE route in that tenant and the
// JSON route in a second one. All turns happen here; the tests below only judge what came back.
beforeAll(async () => {
  let second: Owner | undefined;
  [owner, second] = await Promise.all([seedOwner(), seedOwner()]);
  bot = await connectBot(owner);
  await seedKnowledge();
  await Promise.all([runWebCases(), runAdminCases(owner, "SSE"), runAdminCases(second, "JSON")]);
}, 120_000);

describe("the reply corpus", () => {
  it("has enough cases of every kind, with unique ids and only known placeholders", () => {
    expect(MODEL_REPLIES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(MODEL_REPLIES.map((c) => c.id)).size).toBe(MODEL_REPLIES.length);
    expect(adminCases.length).toBeGreaterThanOrEqual(10);
    for (const id of ONE_CHAR_CASES) expect(webCases.map((c) => c.id)).toContain(id);
    const known = new Set(["GALLERY_ID", "DOC_ID", "DOC_TITLE", "MISSING_ID", "CHUNK_ID"]);
    for (const c of MODEL_REPLIES)
      for (const m of JSON.stringify(c).matchAll(/\{\{(\w+)\}\}/g)) expect(known, c.id).toContain(m[1]);
  });
});

describe("web cases on the SSE route, the JSON route and Telegram", () => {
  it.each(webCases.map((c) => [c.id, c] as const))("%s", (_, c) => {
    const labels = ["SSE", "JSON", "Telegram", ...(ONE_CHAR_CASES.includes(c.id) ? ["SSE 1"] : [])];
    for (const label of labels) check(c, label, outcomes.get(key(c.id, label)), true);
  });
});

describe("admin cases on both admin chat routes", () => {
  it.each(adminCases.map((c) => [c.id, c] as const))("%s", (_, c) => {
    for (const route of ["SSE", "JSON"] as const) {
      const run = adminOutcomes.get(key(c.id, route));
      check(c, route, run?.outcome, false);
      expect(run?.chunks.sort(byQuestion), `${c.id} (${route}) chunks`).toEqual(
        expectedChunks(c).sort(byQuestion),
      );
    }
  });
});
