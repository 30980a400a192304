/**
 * A client written for the original (Python) backend reads CIP's stream unchanged (issue 18, part 1). The
 * seed's own chat page, as its README describes it: take every `data:` line, JSON-parse it unless it is
 * `[DONE]`, append `content`, print `error` as text, stop at `[DONE]`, ignore event names. That client is
 * written out below and run against a plain answer, an answer with a command block, a model failure and a
 * thinking turn; CIP's named events must be all there too, and none but `token` and `error` may carry
 * a key that client reads.
 */
import { describe, expect, it } from "vitest";
import { SseParser } from "../../src/llm/sse-parser.ts";
import { bearer, seedOwner } from "../helpers/accounts.ts";
import { chat, storedMessages, visitor } from "../helpers/chat.ts";
import { callJson } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, isDone, type ReadEvent, tokensText } from "../helpers/sse.ts";

/** The original chat page's reading of a stream: what it shows, what it printed as errors, and if it ended. */
function seedPage(raw: string): { shown: string; errors: string[]; ended: boolean; linesAfter: number } {
  let shown = "";
  const errors: string[] = [];
  const lines = raw.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!line.startsWith("data:")) continue;
    const payload = line.slice(5).trim();
    if (payload === "[DONE]") {
      const linesAfter = lines.slice(i + 1).filter((l) => l.trim() !== "").length;
      return { shown, errors, ended: true, linesAfter };
    }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(payload) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (data.content) shown += String(data.content);
    if (data.error) errors.push(String(data.error));
  }
  return { shown, errors, ended: false, linesAfter: 0 };
}

/** CIP's own reading of the same bytes: the named events (the closing `[DONE]` apart). */
function namedEvents(raw: string): ReadEvent[] {
  const parser = new SseParser();
  return [...parser.push(raw), ...parser.flush()]
    .filter((e) => !isDone(e))
    .map((e) => ({ event: e.event, data: JSON.parse(e.data) as Record<string, unknown> }));
}

/** Only `token` data has `content`, only `error` data has `error`: the seed's client skips everything else. */
function expectOthersInvisible(events: ReadEvent[]): void {
  for (const e of events) {
    if (e.event !== "token") expect(e.data, e.event).not.toHaveProperty("content");
    if (e.event !== "error") expect(e.data, e.event).not.toHaveProperty("error");
  }
}

async function turn(tenantId: string, message: string): Promise<{ raw: string; status: number }> {
  // The seed's client sends what the seed's API took: user_id and message, never dialog_id.
  const res = await chat(tenantId, { user_id: visitor(), message });
  return { raw: await res.text(), status: res.status };
}

describe("a client written for the original backend", () => {
  it("shows a plain answer and stops at [DONE], the stream's last line", async () => {
    const owner = await seedOwner();
    const tag = await script({ reply: "Здравствуйте! Доставка — 2 дня.", chunkSize: 4 });
    const { raw, status } = await turn(owner.tenantId, `Hi ${tag}`);
    expect(status).toBe(200);
    const page = seedPage(raw);
    expect(page).toEqual({
      shown: "Здравствуйте! Доставка — 2 дня.",
      errors: [],
      ended: true,
      linesAfter: 0,
    });
    expect(raw.endsWith("\n\ndata: [DONE]\n\n")).toBe(true);
    const events = namedEvents(raw);
    expect(events.map((e) => e.event)).toEqual(["meta", ...events.slice(1, -1).map(() => "token"), "done"]);
    expect(tokensText(events)).toBe(page.shown);
    expectOthersInvisible(events);
  });

  it("shows a command block's result in its place, never the block", async () => {
    const owner = await seedOwner();
    const reply = "Сейчас посмотрю. [EXECUTE]\nRAG_LIST_DOCUMENTS\n[/EXECUTE] Готово.";
    const tag = await script({ reply, chunkSize: "random" });
    const { raw } = await turn(owner.tenantId, tag);
    const page = seedPage(raw);
    expect(page).toMatchObject({
      shown: "Сейчас посмотрю. Документов пока нет. Готово.",
      errors: [],
      ended: true,
    });
    const events = namedEvents(raw);
    expect(events.find((e) => e.event === "command")?.data).toMatchObject({
      name: "RAG_LIST_DOCUMENTS",
      ok: true,
    });
    expect(events.at(-1)?.event).toBe("done");
    expectOthersInvisible(events);
    const rows = await storedMessages(dialogIdOf(events), 2);
    expect(rows[1]?.content).toBe(page.shown);
  });

  it("prints the failure's human text and still ends at [DONE]", async () => {
    const owner = await seedOwner({ locale: "en" });
    const tag = await script({ status: 500 });
    const { raw, status } = await turn(owner.tenantId, tag);
    expect(status).toBe(200);
    const page = seedPage(raw);
    expect(page.ended).toBe(true);
    expect(page.linesAfter).toBe(0);
    expect(page.shown).toBe("");
    expect(page.errors).toHaveLength(1);
    const events = namedEvents(raw);
    const error = events.at(-1);
    expect(error?.event).toBe("error");
    const data = error?.data as { code: string; message: string; error: string };
    expect(data.code).toMatch(/^[a-z_]+$/);
    expect(data.error).toBe(data.message);
    expect(page.errors[0]).toBe(data.message);
    // Human text, not a code or a JSON dump.
    expect(data.error).toMatch(/\s/);
    expect(data.error).not.toMatch(/[{}]/);
    expectOthersInvisible(events);
  });

  it("is not confused by the thinking event", async () => {
    const owner = await seedOwner();
    const put = await callJson(
      "PUT",
      `/api/v1/tenants/${owner.tenantId}/me/model`,
      { chat: { thinking: true } },
      bearer(owner.token),
    );
    expect(put.status, await put.clone().text()).toBe(200);
    const tag = await script({ reply: "Thought through.", reasoning: "PRIVATE REASONING", thinkMs: 50 });
    const { raw } = await turn(owner.tenantId, tag);
    expect(seedPage(raw)).toEqual({ shown: "Thought through.", errors: [], ended: true, linesAfter: 0 });
    const events = namedEvents(raw);
    expect(events.map((e) => e.event)).toContain("thinking");
    expectOthersInvisible(events);
    expect(raw).not.toContain("PRIVATE REASONING");
  });
});
