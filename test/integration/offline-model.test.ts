/**
 * The fake model the tests run, asked directly over its wire protocol: DeepSeek's thinking default and
 * usage fields, and the offline stand-in's setup interview and visitor answers. Then the interview end to
 * end through the admin chat route, with no script tag.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { OFFLINE_MARK } from "../../scripts/lib/offline-model.ts";
import { assembleAdminPrompt, assembleUserPrompt } from "../../src/chat/system-prompt.ts";
import { promptChunks } from "../../src/db/schema.ts";
import { bearer, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { callJson } from "../helpers/http.ts";

type Message = { role: "system" | "user" | "assistant"; content: string };
interface Delta {
  content?: string | null;
  reasoning_content?: string | null;
}
interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  completion_tokens_details: { reasoning_tokens: number };
}

/** One streamed completion from the fake: its deltas in order, the reply text and the usage chunk. */
async function complete(messages: Message[], extra: Record<string, unknown> = {}) {
  const res = await fetch(`${env.DEEPSEEK_API_URL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer test-model-key" },
    body: JSON.stringify({ model: "deepseek-flash", stream: true, messages, ...extra }),
  });
  expect(res.status).toBe(200);
  const deltas: Delta[] = [];
  let usage: Usage | undefined;
  let done = false;
  for (const line of (await res.text()).split("\n")) {
    if (!line.startsWith("data: ")) continue;
    if (line === "data: [DONE]") {
      done = true;
      continue;
    }
    const chunk = JSON.parse(line.slice(6)) as { choices: Array<{ delta: Delta }>; usage?: Usage };
    if (chunk.choices[0]) deltas.push(chunk.choices[0].delta);
    if (chunk.usage) usage = chunk.usage;
  }
  expect(done).toBe(true);
  const reply = deltas.map((d) => d.content ?? "").join("");
  return { deltas, reply, usage };
}

const disabled = { thinking: { type: "disabled" } };
const kinds = (deltas: Delta[]) =>
  deltas.flatMap((d) => (d.reasoning_content ? ["reasoning"] : d.content ? ["content"] : []));

describe("the fake model, like DeepSeek's V4 models", () => {
  it("thinks when the request does not disable thinking: reasoning first, then the answer", async () => {
    const system = `You are a test assistant ${crypto.randomUUID()}.`;
    const messages: Message[] = [
      { role: "system", content: system },
      { role: "user", content: "Hello there" },
    ];
    const first = await complete(messages);
    const order = kinds(first.deltas);
    expect(order[0]).toBe("reasoning");
    expect(order.lastIndexOf("reasoning")).toBeLessThan(order.indexOf("content"));
    expect(first.reply).toContain(OFFLINE_MARK);
    const usage = first.usage as Usage;
    expect(usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(usage.completion_tokens_details.reasoning_tokens);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    // A system text this fake has not seen misses the cache; the same one again hits it.
    expect(usage.prompt_cache_hit_tokens).toBe(0);
    expect(usage.prompt_cache_miss_tokens).toBe(usage.prompt_tokens);
    const again = (await complete(messages)).usage as Usage;
    expect(again.prompt_cache_hit_tokens).toBe(Math.ceil(system.length / 4));
    expect(again.prompt_cache_hit_tokens + again.prompt_cache_miss_tokens).toBe(again.prompt_tokens);
    expect(again.prompt_cache_miss_tokens).toBeGreaterThan(0);
  });

  it("answers at once when the request disables thinking", async () => {
    const { deltas, reply, usage } = await complete([{ role: "user", content: "Hello" }], disabled);
    expect(kinds(deltas)).not.toContain("reasoning");
    expect(deltas.some((d) => "reasoning_content" in d)).toBe(false);
    expect(reply).toContain(OFFLINE_MARK);
    expect(usage?.completion_tokens_details.reasoning_tokens).toBe(0);
  });
});

describe("the offline stand-in", () => {
  const admin = assembleAdminPrompt([]);

  it("interviews the owner, one question a turn, and saves each answer as a multi-line ADD_CHUNK", async () => {
    const history: Message[] = [
      { role: "system", content: admin },
      { role: "user", content: "Здравствуйте" },
    ];
    const asked: string[] = [];
    const answers = [
      "Печём торты на заказ.",
      "Торт от 2500 руб. за кг.",
      "Доставка по городу — 500 руб.\nБесплатно от 5000 руб.\nРаботаем с 9 до 21.",
      "+7 900 123-45-67, cakes@example.com",
    ];
    for (const answer of answers) {
      const { reply } = await complete(history, disabled);
      expect(reply.startsWith(OFFLINE_MARK)).toBe(true);
      expect(reply).toMatch(/[а-яё]/i);
      asked.push(reply);
      history.push({ role: "assistant", content: reply }, { role: "user", content: answer });
    }
    expect(asked[0]).not.toContain("[EXECUTE]");
    expect(asked[0]).toContain("DEEPSEEK_API_KEY");
    expect(new Set(asked.map((r) => r.split("\n").at(-1))).size).toBe(4);
    expect(asked[2]).toContain(
      "[EXECUTE]\nADD_CHUNK\nСколько это стоит?\nТорт от 2500 руб. за кг.\n[/EXECUTE]",
    );
    expect(asked[3]).toContain(
      "[EXECUTE]\nADD_CHUNK\nКак работает доставка и когда вы работаете?\n" +
        "Доставка по городу — 500 руб.\nБесплатно от 5000 руб.\nРаботаем с 9 до 21.\n[/EXECUTE]",
    );
    const last = (await complete(history, disabled)).reply;
    expect(last).toContain(
      "[EXECUTE]\nADD_CHUNK\nКак с вами связаться?\n+7 900 123-45-67, cakes@example.com\n[/EXECUTE]",
    );
    expect(last).toContain("Интервью закончено");
  });

  it("speaks English to an owner who writes English", async () => {
    const history: Message[] = [
      { role: "system", content: admin },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "question one" },
      { role: "user", content: "We repair bikes." },
    ];
    const { reply } = await complete(history, disabled);
    expect(reply).toContain(`${OFFLINE_MARK} `);
    expect(reply).toContain("[EXECUTE]\nADD_CHUNK\nWhat does the company do?\nWe repair bikes.\n[/EXECUTE]");
    expect(reply).not.toMatch(/[а-яё]/i);
  });

  it("answers a visitor from the chunk that shares the most words, and lists galleries on request", async () => {
    const system = assembleUserPrompt(null, [
      { id: "a", position: 1, question: "Opening hours?", text: "Every day from 9 to 18." },
      { id: "b", position: 2, question: "Сколько стоит доставка?", text: "Доставка по городу — 500 руб." },
    ]);
    const price = (
      await complete(
        [
          { role: "system", content: system },
          { role: "user", content: "Какая цена доставки?" },
        ],
        disabled,
      )
    ).reply;
    expect(price).toContain("Доставка по городу — 500 руб.");
    expect(price).not.toContain("Every day");
    const hours = (
      await complete(
        [
          { role: "system", content: system },
          { role: "user", content: "What are your opening hours?" },
        ],
        disabled,
      )
    ).reply;
    expect(hours).toContain("Every day from 9 to 18.");
    const photos = await complete(
      [
        { role: "system", content: system },
        { role: "user", content: "Покажите фото ваших работ" },
      ],
      disabled,
    );
    expect(photos.reply).toContain("[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]");
    expect(photos.reply).toContain(OFFLINE_MARK);
    expect(kinds(photos.deltas)).not.toContain("reasoning");
    const gallery = (
      await complete([
        { role: "system", content: system },
        { role: "user", content: "Do you have a gallery?" },
      ])
    ).reply;
    expect(gallery).toContain("[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]");
  });
});

describe("the offline interview through the admin chat", () => {
  it("creates a chunk whose text is the owner's multi-line answer, verbatim", async () => {
    const owner = await seedOwner();
    const path = `/api/v1/tenants/${owner.tenantId}/admin/chat/message`;
    const first = await callJson("POST", path, { message: "Привет" }, bearer(owner.token));
    expect(first.status).toBe(200);
    const r1 = (await first.json()) as { reply: string; dialog_id: string };
    expect(r1.reply).toContain(OFFLINE_MARK);
    const answer = "Печём торты и пирожные на заказ.\nДоставка по городу — 500 руб.\nБесплатно от 5000 руб.";
    const second = await callJson(
      "POST",
      path,
      { message: answer, dialog_id: r1.dialog_id },
      bearer(owner.token),
    );
    expect(second.status).toBe(200);
    const r2 = (await second.json()) as { reply: string };
    expect(r2.reply).not.toContain("[EXECUTE]");
    const chunks = await withDb((h) =>
      h.db.select().from(promptChunks).where(eq(promptChunks.tenantId, owner.tenantId)),
    );
    expect(chunks).toEqual([expect.objectContaining({ question: "Чем занимается компания?", text: answer })]);
  });
});
