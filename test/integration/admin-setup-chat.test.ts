/**
 * A setup chat that knows the tenant (issue 21, item 3): its prompt lists the galleries and indexed
 * documents (refreshed when they change), an empty chat opens with the bot's own first question, and
 * every chunk change reads as one line.
 */
import { describe, expect, it } from "vitest";
import { uploadMultipart } from "../fixtures/uploads.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { storedMessages } from "../helpers/chat.ts";
import { call, callJson } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";

const block = (...lines: string[]) => `[EXECUTE]\n${lines.join("\n")}\n[/EXECUTE]`;
const me = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me`;
const adminMessage = (o: Owner) => `/api/v1/tenants/${o.tenantId}/admin/chat/message`;
const start = (o: Owner) => `/api/v1/tenants/${o.tenantId}/admin/chat/start`;

interface Reply {
  reply: string;
  dialog_id: string;
  commands: Array<{ name: string; ok: boolean; result?: string }>;
}
interface Opened {
  dialog_id: string;
  message: { id: string; role: string; content: string; created_at: string };
}

/** The system prompt of an admin turn, as the model received it. */
async function adminPrompt(o: Owner, dialogId?: string): Promise<string> {
  const tag = await script({ reply: "ok" });
  const body = { message: `Привет ${tag}`, ...(dialogId ? { dialog_id: dialogId } : {}) };
  const res = await callJson("POST", adminMessage(o), body, bearer(o.token));
  expect(res.status, await res.clone().text()).toBe(200);
  const [request] = await requestsFor(tag);
  return request?.messages[0]?.content ?? "";
}

async function gallery(o: Owner, title: string, description?: string): Promise<string> {
  const res = await callJson("POST", `${me(o)}/galleries`, { title, description }, bearer(o.token));
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function document(o: Owner, text: string, name: string, review: boolean): Promise<string> {
  const res = await uploadMultipart(`${me(o)}/documents`, new TextEncoder().encode(text), o.token, {
    name,
    type: "text/markdown",
    query: review ? { review: "true" } : {},
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("the setup chat's prompt knows the galleries and documents", () => {
  it("lists galleries and indexed documents with ids and one-line descriptions, not drafts", async () => {
    const o = await seedOwner();
    const works = await gallery(o, "Наши кухни", `Кухни из массива,\nфото 2024 года. ${"ещё ".repeat(60)}`);
    const priced = await document(o, "# Прайс-лист\n\nКухня от 150 000 рублей.", "price.md", false);
    const draft = await document(o, "# Черновик\n\nНе проверено.", "draft.md", true);
    const prompt = await adminPrompt(o);
    const line = prompt.split("\n").find((l) => l.includes(`group_id=${works}`)) ?? "";
    expect(line).toContain("«Наши кухни» — Кухни из массива, фото 2024 года.");
    expect(line.length).toBeLessThan(220);
    expect(prompt).toContain(`document_id=${priced} «Прайс-лист» — Прайс-лист Кухня от 150 000 рублей.`);
    expect(prompt).not.toContain(draft);
    // The instructions teach how to point visitors at them.
    expect(prompt).toContain("SHOW_GALLERY with group_id=");
  });

  it("sees a gallery or document change on its next turn (the cached prompt is refreshed)", async () => {
    const o = await seedOwner();
    const first = await adminPrompt(o);
    expect(first).toContain("GALLERIES:\n(none)");
    const id = await gallery(o, "Ванные комнаты");
    expect(await adminPrompt(o)).toContain(`group_id=${id} «Ванные комнаты»`);
    const renamed = await callJson(
      "PATCH",
      `${me(o)}/galleries/${id}`,
      { title: "Санузлы" },
      bearer(o.token),
    );
    expect(renamed.status).toBe(200);
    expect(await adminPrompt(o)).toContain(`group_id=${id} «Санузлы»`);
    const draft = await document(o, "# Гарантия\n\nПять лет.", "g.md", true);
    expect(await adminPrompt(o)).not.toContain(draft);
    const published = await callJson("POST", `${me(o)}/documents/${draft}/publish`, {}, bearer(o.token));
    expect(published.status).toBe(200);
    expect(await adminPrompt(o)).toContain(`document_id=${draft} «Гарантия»`);
    await callJson("DELETE", `${me(o)}/galleries/${id}`, undefined, bearer(o.token));
    expect(await adminPrompt(o)).not.toContain(id);
  });
});

describe("the setup chat opens itself", () => {
  it("stores the bot's first question in a new dialog, and the model sees it on the owner's first turn", async () => {
    const o = await seedOwner();
    const res = await callJson("POST", start(o), {}, bearer(o.token));
    expect(res.status, await res.clone().text()).toBe(201);
    const opened = (await res.json()) as Opened;
    expect(opened.message.role).toBe("assistant");
    expect(opened.message.content).toMatch(/Чем занимается ваша компания/);
    const [stored] = await storedMessages(opened.dialog_id, 1);
    expect(stored).toMatchObject({ role: "assistant", content: opened.message.content });

    const tag = await script({ reply: "Отлично!" });
    const turn = await callJson(
      "POST",
      adminMessage(o),
      { message: `Делаем кухни ${tag}`, dialog_id: opened.dialog_id },
      bearer(o.token),
    );
    expect(turn.status).toBe(200);
    const [request] = await requestsFor(tag);
    const roles = request?.messages.map((m) => m.role);
    expect(roles).toEqual(["system", "assistant", "user"]);
    expect(request?.messages[1]?.content).toBe(opened.message.content);
  });

  it("greets in the asked language, and asks what to change once knowledge exists", async () => {
    const o = await seedOwner();
    const en = (await (await callJson("POST", start(o), { locale: "en" }, bearer(o.token))).json()) as Opened;
    expect(en.message.content).toMatch(/What does your business do/);
    const add = await callJson(
      "POST",
      `${me(o)}/prompt/chunks`,
      { question: "Часы работы?", text: "С 9 до 18." },
      bearer(o.token),
    );
    expect(add.status).toBe(201);
    // A bare POST (no body at all) greets in the tenant's language.
    const bare = await call(start(o), { method: "POST", headers: bearer(o.token) });
    expect(bare.status, await bare.clone().text()).toBe(201);
    const again = (await bare.json()) as Opened;
    expect(again.message.content).toContain("(1)");
    expect(again.dialog_id).not.toBe(en.dialog_id);
  });

  it("is for the tenant's owners only", async () => {
    const o = await seedOwner();
    const member = await seedMember(o);
    const other = await seedOwner();
    expect((await callJson("POST", start(o), {})).status).toBe(401);
    expect((await callJson("POST", start(o), {}, bearer(member.token))).status).toBe(403);
    expect((await callJson("POST", start(o), {}, bearer(other.token))).status).toBe(403);
  });
});

describe("each change reads as one line", () => {
  it("puts a one-line result per chunk command in the reply, and the prompt asks for a one-line summary", async () => {
    const o = await seedOwner();
    const tag = await script({
      reply: `${block("ADD_CHUNK", "Доставка?", "По Москве 300 рублей.", "По России — СДЭК.")}\nДобавил «Доставка».`,
    });
    const res = await callJson("POST", adminMessage(o), { message: `Доставка ${tag}` }, bearer(o.token));
    const reply = (await res.json()) as Reply;
    const added = reply.commands[0];
    expect(added).toMatchObject({ name: "ADD_CHUNK", ok: true });
    expect(reply.reply).toContain("✅ Сохранено: «Доставка?» (позиция 1).\n");
    expect(reply.reply).not.toContain("По Москве 300 рублей.");
    const [request] = await requestsFor(tag);
    expect(request?.messages[0]?.content).toContain(
      "write ONE short line that says in plain words what changed",
    );
  });
});
