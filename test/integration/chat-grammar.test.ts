/**
 * Issue 15's defects, each pinned through the app: the seed's chunk grammar with nothing lost, tags and
 * names as real models write them, fences, one-line blocks, results in the tenant's language without ids,
 * and the ids kept for the model in a note on the next turn.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { promptChunks } from "../../src/db/schema.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { chat, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { callJson } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { dialogIdOf, readSse, tokensText } from "../helpers/sse.ts";

const TAG = /\[\s*\/?\s*execute\s*\]/i;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const chunksOf = (tenantId: string) =>
  withDb((h) =>
    h.db
      .select()
      .from(promptChunks)
      .where(eq(promptChunks.tenantId, tenantId))
      .orderBy(promptChunks.position),
  );

interface AdminReply {
  reply: string;
  dialog_id: string;
  commands: Array<{ name: string; ok: boolean; result: string }>;
}

/** One admin-chat turn whose model reply is `reply`, streamed in random pieces. */
async function adminTurn(owner: Owner, reply: string, dialogId?: string): Promise<AdminReply> {
  const tag = await script({ reply, chunkSize: "random" });
  const res = await callJson(
    "POST",
    `/api/v1/tenants/${owner.tenantId}/admin/chat/message`,
    { message: `ok ${tag}`, ...(dialogId ? { dialog_id: dialogId } : {}) },
    bearer(owner.token),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as AdminReply;
}

describe("the seed's chunk grammar", () => {
  it("ADD_CHUNK keeps every line of the text verbatim, `=`, quotes and Markdown included", async () => {
    const owner = await seedOwner();
    const text = [
      "Доставка = 500 руб.",
      "Бесплатно: от 5000 руб.",
      "",
      '- **Самовывоз** — "Ленина, 5"',
      "position=2 is just text here",
    ].join("\n");
    const body = await adminTurn(
      owner,
      `Записал.\n[EXECUTE]\nADD_CHUNK\nСколько стоит доставка?\n${text}\n[/EXECUTE]`,
    );
    expect(body.commands).toEqual([expect.objectContaining({ name: "ADD_CHUNK", ok: true })]);
    const [chunk] = await chunksOf(owner.tenantId);
    expect(chunk).toMatchObject({ question: "Сколько стоит доставка?", text, position: 1 });
    expect(body.reply).toBe("Записал.\n✅ Сохранено: «Сколько стоит доставка?» (позиция 1).");
  });

  it("the key=value form still works, and text= may run over several lines", async () => {
    const owner = await seedOwner();
    await adminTurn(
      owner,
      "[EXECUTE]\nADD_CHUNK\nquestion=Часы работы?\ntext=Пн–Пт: 9–18\nСб: 10–15\nposition=1\n[/EXECUTE]",
    );
    expect(await chunksOf(owner.tenantId)).toEqual([
      expect.objectContaining({ question: "Часы работы?", text: "Пн–Пт: 9–18\nСб: 10–15", position: 1 }),
    ]);
  });

  it("EDIT_CHUNK: line 1 the UUID, lines 2..n the new text; the question stays. DELETE_CHUNK: the UUID", async () => {
    const owner = await seedOwner();
    const first = await adminTurn(owner, "[EXECUTE]\nADD_CHUNK\nОплата?\nНаличными.\n[/EXECUTE]");
    const [chunk] = await chunksOf(owner.tenantId);
    const edited = await adminTurn(
      owner,
      `Исправил.\n[EXECUTE]\nEDIT_CHUNK\n${chunk?.id}\nНаличными и картой.\nСБП = тоже можно.\n[/EXECUTE]`,
      first.dialog_id,
    );
    expect(edited.commands[0]).toMatchObject({ name: "EDIT_CHUNK", ok: true });
    expect((await chunksOf(owner.tenantId))[0]).toMatchObject({
      question: "Оплата?",
      text: "Наличными и картой.\nСБП = тоже можно.",
    });
    expect(edited.reply).not.toMatch(UUID);
    const deleted = await adminTurn(
      owner,
      `[execute] delete_chunk \`${chunk?.id}\` [/execute]`,
      first.dialog_id,
    );
    expect(deleted.commands[0]).toMatchObject({ name: "DELETE_CHUNK", ok: true });
    expect(await chunksOf(owner.tenantId)).toHaveLength(0);
  });

  it("a command that cannot be carried out changes nothing, says why, and the stored answer keeps it", async () => {
    const owner = await seedOwner();
    const body = await adminTurn(
      owner,
      [
        `[EXECUTE]\nADD_CHUNK\n${"в".repeat(1001)}\nтекст\n[/EXECUTE]`,
        "[EXECUTE]\nADD_CHUNK\nВопрос без текста?\n[/EXECUTE]",
        "[EXECUTE]\nEDIT_CHUNK\n00000000-0000-4000-8000-00000000abcd\nновый текст\n[/EXECUTE]",
      ].join("\n"),
    );
    expect(body.commands.map((c) => c.ok)).toEqual([false, false, false]);
    expect(body.commands[0]?.result).toMatch(/1000/);
    expect(body.commands[1]?.result).toMatch(/нет текста/);
    expect(body.commands[2]?.result).toMatch(/такого чанка нет/);
    expect(body.reply).not.toMatch(/Сохранено|Обновлено/);
    expect(await chunksOf(owner.tenantId)).toHaveLength(0);
    const rows = await storedMessages(body.dialog_id, 2);
    expect(rows[1]?.content).toBe(body.reply);
    // The model sees its failure on the next turn, in the stored answer.
    const next = await script({ reply: "Поправлю." });
    await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/admin/chat/message`,
      { message: next, dialog_id: body.dialog_id },
      bearer(owner.token),
    );
    const [request] = await requestsFor(next);
    expect(request?.messages.some((m) => m.role === "assistant" && m.content.includes("нет текста"))).toBe(
      true,
    );
  });

  it("speaks English to an English tenant", async () => {
    const owner = await seedOwner({ locale: "en" });
    const body = await adminTurn(
      owner,
      "[EXECUTE]\nADD_CHUNK\nOpening hours?\n9 to 6, Monday to Friday.\n[/EXECUTE]",
    );
    expect(body.reply).toBe("✅ Saved: “Opening hours?” (position 1).");
  });
});

describe("blocks as real models write them, in the visitor chat", () => {
  it.each([
    ["lower-case tags", "Смотрите: [execute]\nlist_galleries\n[/execute] Всё."],
    ["spaces inside the brackets", "Смотрите: [ EXECUTE ]\nLIST_GALLERIES\n[ /EXECUTE ] Всё."],
    ["emphasis around the name", "Смотрите: [EXECUTE]\n**List_Galleries**\n[/EXECUTE] Всё."],
    ["a code fence", "Смотрите:\n```\n[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]\n```\nВсё."],
    ["a fence with a language", "Смотрите:\n```text\n[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]\n```\nВсё."],
  ])("runs a block with %s and leaves no tag or empty fence", async (_, reply) => {
    const owner = await seedOwner();
    const tag = await script({ reply, chunkSize: 1 });
    const events = await readSse(await chat(owner.tenantId, { user_id: visitor(), message: tag }));
    expect(events.filter((e) => e.event === "command").map((e) => e.data.name)).toEqual(["LIST_GALLERIES"]);
    const text = tokensText(events);
    expect(text).not.toMatch(TAG);
    expect(text).not.toContain("```");
    expect(text).toContain("Галерей пока нет.");
    expect((await storedMessages(dialogIdOf(events), 2))[1]?.content).toBe(text);
  });

  it("runs the seed's one-line block with its argument, shows titles and keeps the ids for the model", async () => {
    const owner = await seedOwner();
    const created = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/me/galleries`,
      { title: "Кухни" },
      bearer(owner.token),
    );
    const group = (await created.json()) as { id: string };
    const me = visitor();
    const list = await script({ reply: "Вот: [EXECUTE] LIST_GALLERIES [/EXECUTE]" });
    const first = await readSse(await chat(owner.tenantId, { user_id: me, message: list }));
    const dialogId = dialogIdOf(first);
    expect(tokensText(first)).toContain("Кухни");
    expect(tokensText(first)).not.toMatch(UUID);

    const show = await script({ reply: `[EXECUTE] SHOW_GALLERY group_id=${group.id} [/EXECUTE]` });
    const second = await readSse(
      await chat(owner.tenantId, { user_id: me, message: show, dialog_id: dialogId }),
    );
    const command = second.find((e) => e.event === "command");
    expect(command?.data).toMatchObject({ name: "SHOW_GALLERY", ok: true });
    const [request] = await requestsFor(show);
    const note = request?.messages.find(
      (m) => m.role === "system" && m.content.includes(`group_id=${group.id}`),
    );
    expect(note?.content).toContain('"Кухни"');
  });
});
