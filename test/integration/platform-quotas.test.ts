/**
 * Per-tenant limits (docs/operator.md, docs/cabinet.md): the longest visitor message on the web chat and
 * in Telegram, with a localized answer and no model call; content quotas where content is created
 * (chunks by route and by ADD_CHUNK, galleries, images per gallery, documents, stored bytes), refused
 * with 409 `quota_exceeded` naming the quota; and the owner's usage view `…/me/quotas`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bytesOf, PNG, uploadMultipart, uploadRaw } from "../fixtures/uploads.ts";
import {
  bearer,
  callAppDirect,
  expectError,
  type Owner,
  seedMember,
  seedOwner,
} from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { type Platform, platformCall, seedPlatform } from "../helpers/platform.ts";
import {
  chatId,
  connectBot,
  deliver,
  pause,
  telegramCalls,
  textUpdate,
  waitForCalls,
} from "../helpers/telegram.ts";

const TEXT = new TextEncoder().encode("Opening hours: nine to six.");

let p: Platform;
beforeAll(async () => {
  p = await seedPlatform();
});

async function setLimits(tenantId: string, limits: Record<string, number | null>): Promise<void> {
  const res = await platformCall(p, "PUT", `/api/v1/platform/tenants/${tenantId}/limits`, limits);
  expect(res.status, await res.clone().text()).toBe(200);
}

const chatJsonDirect = (tenantId: string, message: string, lang: string) =>
  callAppDirect(
    "POST",
    `/api/v1/tenants/${tenantId}/chat/message`,
    { user_id: visitor(), message },
    { headers: { "accept-language": lang } },
  );

/** `tag` padded with spaces-free filler to exactly `length` characters. */
const sized = (tag: string, length: number) => `${tag}${"x".repeat(length - tag.length)}`;

describe("visitor message length", () => {
  it("web: over the tenant's limit is a localized 422 without a model call; at the limit it passes", async () => {
    const owner = await seedOwner();
    await setLimits(owner.tenantId, { max_message_chars: 100 });
    const tag = await script({ reply: "Fine." });
    const en = await chatJsonDirect(owner.tenantId, sized(tag, 101), "en-US,en;q=0.9");
    expect(await expectError(en, 422, "message_too_long")).toContain("at most 100 characters");
    const ru = await chatJsonDirect(owner.tenantId, sized(tag, 101), "ru");
    expect(await expectError(ru, 422, "message_too_long")).toContain("не больше 100 символов");
    expect(await requestsFor(tag)).toHaveLength(0);
    const ok = await chatJsonDirect(owner.tenantId, sized(tag, 100), "en");
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await requestsFor(tag)).toHaveLength(1);
  });

  it("web: the platform default is 4000 characters, answered the same way on the SSE route", async () => {
    const owner = await seedOwner();
    const res = await chat(
      owner.tenantId,
      { user_id: visitor(), message: "y".repeat(4001) },
      { "accept-language": "en" },
    );
    expect(await expectError(res, 422, "message_too_long")).toContain("at most 4000 characters");
  });

  it("Telegram: a message over the limit gets a polite answer in the tenant's language, no turn", async () => {
    const owner = await seedOwner({ locale: "en" });
    const bot = await connectBot(owner);
    await setLimits(owner.tenantId, { max_message_chars: 100 });
    const tag = await script({ reply: "Never." });
    const res = await deliver(owner.tenantId, bot.secret, textUpdate(chatId(), sized(tag, 150)));
    expect(res.status).toBe(200);
    const [sent] = await waitForCalls(bot.token, "sendMessage", 1);
    expect(String(sent?.params.text)).toBe(
      "The message is too long: at most 100 characters. Please shorten it.",
    );
    await pause(200);
    expect(await requestsFor(tag)).toHaveLength(0);
    expect(await telegramCalls(bot.token, "sendMessage")).toHaveLength(1);
  });

  it("the operator's limit must be 100..4000", async () => {
    const owner = await seedOwner();
    for (const bad of [{ max_message_chars: 99 }, { max_message_chars: 4001 }, { nope: 1 }, { chunks: -1 }]) {
      const res = await platformCall(p, "PUT", `/api/v1/platform/tenants/${owner.tenantId}/limits`, bad);
      await expectError(res, 422, "validation_failed");
    }
  });
});

const chunksPath = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/prompt/chunks`;
const galleriesPath = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/galleries`;

async function expectQuota(res: Response, id: string, limit: number): Promise<void> {
  const text = await res.clone().text();
  expect(res.status, text).toBe(409);
  const body = await readError(res);
  expect(body.error.code).toBe("quota_exceeded");
  expect((body.error as { quota?: unknown }).quota).toEqual({ id, limit });
}

describe("content quotas", () => {
  it("chunks: the cabinet route and the setup chat's ADD_CHUNK stop at the tenant's quota", async () => {
    const owner = await seedOwner();
    await setLimits(owner.tenantId, { chunks: 1 });
    const first = await callJson(
      "POST",
      chunksPath(owner),
      { question: "q1", text: "t" },
      bearer(owner.token),
    );
    expect(first.status).toBe(201);
    const second = await callJson(
      "POST",
      chunksPath(owner),
      { question: "q2", text: "t" },
      bearer(owner.token),
    );
    await expectQuota(second, "chunks", 1);

    const tag = await script({ reply: "[EXECUTE]\nADD_CHUNK\nquestion=Hours?\ntext=9 to 6\n[/EXECUTE]" });
    const res = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/admin/chat/message`,
      { message: `Save our hours ${tag}` },
      bearer(owner.token),
    );
    expect(res.status).toBe(200);
    const reply = ((await res.json()) as { reply: string }).reply;
    expect(reply).toMatch(/1 чанков|limit of 1 chunks/);
    const list = (await (await call(chunksPath(owner), { headers: bearer(owner.token) })).json()) as {
      items: unknown[];
      limits: { chunks_max: number };
    };
    expect(list.items).toHaveLength(1);
    expect(list.limits.chunks_max).toBe(1);
  });

  it("chunks: restoring a deleted chunk from the history stops at the tenant's quota", async () => {
    const owner = await seedOwner();
    await setLimits(owner.tenantId, { chunks: 1 });
    const first = await callJson(
      "POST",
      chunksPath(owner),
      { question: "q1", text: "t" },
      bearer(owner.token),
    );
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    const del = await call(`${chunksPath(owner)}/${id}`, { method: "DELETE", headers: bearer(owner.token) });
    expect(del.status).toBe(204);
    const second = await callJson(
      "POST",
      chunksPath(owner),
      { question: "q2", text: "t" },
      bearer(owner.token),
    );
    expect(second.status).toBe(201);
    const history = `/api/v1/tenants/${owner.tenantId}/me/chunks/history`;
    const page = (await (
      await call(`${history}?chunk_id=${id}`, { headers: bearer(owner.token) })
    ).json()) as {
      items: Array<{ id: string; action: string }>;
    };
    const deletion = page.items.find((r) => r.action === "delete");
    expect(deletion).toBeDefined();
    const restored = await call(`${history}/${deletion?.id}/restore`, {
      method: "POST",
      headers: bearer(owner.token),
    });
    await expectQuota(restored, "chunks", 1);
    const list = (await (await call(chunksPath(owner), { headers: bearer(owner.token) })).json()) as {
      items: Array<{ question: string }>;
    };
    expect(list.items.map((c) => c.question)).toEqual(["q2"]);
  });

  it("galleries, images per gallery, documents and stored bytes", async () => {
    const owner = await seedOwner();
    await setLimits(owner.tenantId, {
      galleries: 1,
      images_per_gallery: 1,
      documents: 0,
      storage_bytes: 200,
    });
    const g1 = await callJson("POST", galleriesPath(owner), { title: "One" }, bearer(owner.token));
    expect(g1.status).toBe(201);
    const groupId = ((await g1.json()) as { id: string }).id;
    await expectQuota(
      await callJson("POST", galleriesPath(owner), { title: "Two" }, bearer(owner.token)),
      "galleries",
      1,
    );
    const images = `${galleriesPath(owner)}/${groupId}/images`;
    const img1 = await uploadMultipart(images, PNG, owner.token, { name: "a.png", type: "image/png" });
    expect(img1.status, await img1.clone().text()).toBe(201);
    await expectQuota(
      await uploadMultipart(images, PNG, owner.token, { name: "b.png", type: "image/png" }),
      "images_per_gallery",
      1,
    );
    const doc = await uploadRaw(`/api/v1/tenants/${owner.tenantId}/me/documents`, TEXT, owner.token, {
      name: "a.txt",
      type: "text/plain",
    });
    await expectQuota(doc, "documents", 0);
    const file = await uploadRaw(`/api/v1/tenants/${owner.tenantId}/me/files`, bytesOf(300), owner.token, {
      name: "big.bin",
    });
    await expectQuota(file, "storage_bytes", 200);
    const small = await uploadRaw(`/api/v1/tenants/${owner.tenantId}/me/files`, bytesOf(20), owner.token, {
      name: "small.bin",
    });
    expect(small.status).toBe(201);

    const quotas = await call(`/api/v1/tenants/${owner.tenantId}/me/quotas`, {
      headers: bearer(owner.token),
    });
    expect(quotas.status).toBe(200);
    expect(await quotas.json()).toEqual({
      quotas: [
        { id: "documents", used: 0, limit: 0 },
        { id: "galleries", used: 1, limit: 1 },
        { id: "images_per_gallery", used: 1, limit: 1 },
        { id: "chunks", used: 0, limit: 200 },
        { id: "storage_bytes", used: PNG.byteLength + 20, limit: 200 },
      ],
      max_message_chars: 4000,
    });
  });

  it("…/me/quotas: 401 without a token, 403 for a member and for another tenant's owner", async () => {
    const owner = await seedOwner();
    const other = await seedOwner();
    const member = await seedMember(owner);
    const path = `/api/v1/tenants/${owner.tenantId}/me/quotas`;
    await expectError(await call(path), 401);
    await expectError(await call(path, { headers: bearer(member.token) }), 403);
    await expectError(await call(path, { headers: bearer(other.token) }), 403);
  });
});
