import { describe, expect, it } from "vitest";
import { PNG, uploadRaw } from "../fixtures/uploads.ts";
import { bearer, seedOwner } from "../helpers/accounts.ts";
import { chat, storedMessages, visitor } from "../helpers/chat.ts";
import { callJson } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, readSse, tokensText } from "../helpers/sse.ts";

const block = (...lines: string[]) => `[EXECUTE]\n${lines.join("\n")}\n[/EXECUTE]`;

describe("user-chat commands return the tenant's real galleries and documents", () => {
  it("SHOW_GALLERY and RAG_SEARCH in a streamed turn carry image URLs and passages", async () => {
    const owner = await seedOwner();
    const base = `/api/v1/tenants/${owner.tenantId}/me`;
    const group = (await (
      await callJson("POST", `${base}/galleries`, { title: "Наши окна" }, bearer(owner.token))
    ).json()) as {
      id: string;
    };
    const image = (await (
      await uploadRaw(`${base}/galleries/${group.id}/images`, PNG, owner.token, {
        type: "image/png",
        name: "okno.png",
      })
    ).json()) as {
      id: string;
      url: string;
    };
    const text = new TextEncoder().encode("Доставка окон по Москве бесплатная. Монтаж занимает один день.");
    const doc = (await (
      await uploadRaw(`${base}/documents`, text, owner.token, { type: "text/plain", name: "dostavka.txt" })
    ).json()) as {
      id: string;
    };

    const tag = await script({
      reply: `Вот наши работы: ${block("SHOW_GALLERY", `group_id=${group.id}`)} А про доставку: ${block("RAG_SEARCH", "query=доставка окна")}`,
      chunkSize: "random",
    });
    const events = await readSse(
      await chat(owner.tenantId, { user_id: visitor(), message: `Покажите окна ${tag}` }),
    );
    const commands = events.filter((e) => e.event === "command").map((e) => e.data);
    expect(commands.map((c) => c.name)).toEqual(["SHOW_GALLERY", "RAG_SEARCH"]);
    const gallery = (
      (commands[0]?.data ?? {}) as { gallery: { title: string; images: Array<{ id: string; url: string }> } }
    ).gallery;
    expect(gallery.title).toBe("Наши окна");
    expect(gallery.images).toEqual([expect.objectContaining({ id: image.id, url: image.url })]);
    const hits = ((commands[1]?.data ?? {}) as { hits: Array<{ documentId: string; snippet: string }> }).hits;
    expect(hits[0]?.documentId).toBe(doc.id);
    expect(hits[0]?.snippet).toMatch(/Доставка/);

    // The widget draws the gallery from the command event; the text names things, never their ids.
    const answer = tokensText(events);
    expect(answer).toContain("Наши окна — фото (1):");
    expect(answer).toContain("dostavka");
    expect(answer).not.toContain(doc.id);
    expect(answer).not.toContain(group.id);
    expect(answer).not.toContain("[EXECUTE]");
    const rows = await storedMessages(dialogIdOf(events), 2);
    expect(rows[1]?.content).toBe(answer);
  });
});
