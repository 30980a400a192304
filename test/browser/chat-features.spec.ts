/**
 * Chat features driven by scripted model replies: a SHOW_GALLERY block renders a grid whose lightbox
 * works with the keyboard; Stop ends an answer; an error offers Retry; the admin chat shows the chunk
 * changes it made.
 */
import { deflateSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, CLIENT_IP, createOwner, type Owner, scriptReply } from "./accounts.ts";
import { launch, onFailureShot, openPage, shot, type Watched } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let w: Watched;
let owner: Owner;
let galleryId = "";

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A 16x16 PNG of one colour. */
function png(r: number, g: number, b: number): Buffer<ArrayBuffer> {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "ascii");
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(
    Array.from({ length: 16 }, () => Buffer.from([0, ...Array(16).fill([r, g, b]).flat()])),
  );
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    sig,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", new Uint8Array()),
  ]);
}

beforeAll(async () => {
  browser = await launch();
  w = await openPage(browser);
  await w.context.setExtraHTTPHeaders({ "cf-connecting-ip": CLIENT_IP });
  owner = await createOwner("features");
  const gallery = await apiCall<{ id: string }>(`/tenants/${owner.tenantId}/me/galleries`, {
    method: "POST",
    token: owner.token,
    body: JSON.stringify({ title: "Showroom" }),
  });
  galleryId = gallery.id;
  for (const [i, color] of [
    [220, 38, 38],
    [37, 99, 235],
  ].entries()) {
    const form = new FormData();
    form.append(
      "file",
      new Blob([png(color[0] ?? 0, color[1] ?? 0, color[2] ?? 0)], { type: "image/png" }),
      `p${i}.png`,
    );
    await apiCall(`/tenants/${owner.tenantId}/me/galleries/${galleryId}/images?caption=Photo%20${i + 1}`, {
      method: "POST",
      token: owner.token,
      body: form,
    });
  }
});
afterAll(async () => {
  await browser?.close();
});

const lastAnswer = (page: Page) => page.locator(".msg-assistant:not(.msg-greeting)").last();
const stateOf = (page: Page) => () => lastAnswer(page).getAttribute("data-state");

async function openChat(page: Page): Promise<void> {
  await page.goto(`${base}/${owner.slug}/chat`);
  await page.locator("textarea[name=message]").waitFor();
}

async function send(page: Page, text: string): Promise<void> {
  await page.fill("textarea[name=message]", text);
  await page.keyboard.press("Enter");
}

describe("chat features", () => {
  it("renders a SHOW_GALLERY result as a grid with a keyboard lightbox", async () => {
    const { page } = w;
    await onFailureShot(page, "gallery", async () => {
      await scriptReply("gallery", {
        reply: `Our showroom:\n[EXECUTE]\nSHOW_GALLERY\ngroup_id=${galleryId}\n[/EXECUTE]\nEnjoy!`,
      });
      await openChat(page);
      await send(page, "[[script:gallery]] show me the showroom");
      await expect.poll(stateOf(page), { timeout: 30_000 }).toBe("done");
      const thumbs = lastAnswer(page).locator(".gallery-thumb");
      await expect.poll(() => thumbs.count()).toBe(2);
      expect(await lastAnswer(page).locator(".msg-body").textContent()).not.toContain("[EXECUTE]");
      await thumbs.first().focus();
      await page.keyboard.press("Enter");
      const box = page.locator("dialog.lightbox[open]");
      await box.waitFor();
      expect(await box.locator("img").getAttribute("src")).toMatch(
        new RegExp(`^${base}/api/v1/public/images/${owner.tenantId}/`),
      );
      expect(await box.locator(".lightbox-caption").textContent()).toContain("1 of 2");
      await page.keyboard.press("ArrowRight");
      expect(await box.locator(".lightbox-caption").textContent()).toContain("2 of 2");
      await shot(page, "chat-lightbox");
      await page.keyboard.press("Escape");
      await expect.poll(() => page.locator("dialog.lightbox").count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.classList.contains("gallery-thumb"))).toBe(
        true,
      );
      await shot(page, "chat-gallery");
    });
  });

  it("stops an answer with the Stop button", async () => {
    const { page } = w;
    await onFailureShot(page, "stop", async () => {
      await scriptReply("slow", { reply: "word ".repeat(200), chunkSize: 5, delayMs: 60 });
      await send(page, "[[script:slow]] tell me a long story");
      await expect.poll(stateOf(page), { timeout: 20_000 }).toBe("streaming");
      await page.locator("button.send[data-action=stop]").click();
      await expect.poll(stateOf(page), { timeout: 10_000 }).toBe("stopped");
      expect(await lastAnswer(page).textContent()).toMatch(/Stopped\./);
      expect(await page.locator("button.send").getAttribute("data-action")).toBe("send");
    });
  });

  it("replays an answer that was still streaming when the page reloaded", async () => {
    const { page } = w;
    await onFailureShot(page, "resume", async () => {
      const reply = `${"step ".repeat(60)}done.`;
      await scriptReply("resume", { reply, chunkSize: 6, delayMs: 50 });
      await send(page, "[[script:resume]] count for me");
      await expect.poll(stateOf(page), { timeout: 20_000 }).toBe("streaming");
      await page.reload();
      await page.locator("textarea[name=message]").waitFor();
      await expect.poll(stateOf(page), { timeout: 30_000 }).toBe("done");
      expect((await lastAnswer(page).locator(".msg-body").textContent())?.trim()).toBe(reply.trim());
      expect(await page.locator(".msg-user", { hasText: "count for me" }).count()).toBe(1);
    });
  });

  it("offers Retry after a failed answer", async () => {
    const { page } = w;
    await onFailureShot(page, "retry", async () => {
      await scriptReply("flaky", { status: 503 });
      await send(page, "[[script:flaky]] are you there?");
      await expect.poll(stateOf(page), { timeout: 30_000 }).toBe("error");
      await scriptReply("flaky", { reply: "Yes, back again." });
      await lastAnswer(page).locator("button.retry").click();
      await expect.poll(stateOf(page), { timeout: 30_000 }).toBe("done");
      expect(await lastAnswer(page).locator(".msg-body").textContent()).toBe("Yes, back again.");
      expect(await page.locator(".msg-user", { hasText: "are you there?" }).count()).toBe(1);
    });
  });

  it("shows the chunk changes the admin chat made", async () => {
    const { page } = w;
    await onFailureShot(page, "admin-chat", async () => {
      await page.goto(`${base}/${owner.slug}/login`);
      await page.fill("input[name=email]", owner.email);
      await page.fill("input[name=password]", "correct horse battery 9");
      await page.click("form button[type=submit]");
      await page.waitForURL(`${base}/${owner.slug}/my`);
      await page.goto(`${base}/${owner.slug}/my/admin-chat`);
      await scriptReply("admin-add", {
        reply:
          "Noted.\n[EXECUTE]\nADD_CHUNK\nquestion=Do you deliver?\ntext=Yes, within the city in 24 hours.\n[/EXECUTE]\nAnything else?",
      });
      await send(page, "[[script:admin-add]] we deliver in the city within a day");
      await expect.poll(stateOf(page), { timeout: 30_000 }).toBe("done");
      await lastAnswer(page).locator(".chunk-change", { hasText: "Do you deliver?" }).waitFor();
      await page.locator(".changes li", { hasText: "Do you deliver?" }).waitFor();
      await shot(page, "cabinet-admin-chat");
      await page.locator("nav.cab-nav a[data-section=prompt]").click();
      await expect
        .poll(() =>
          page.locator("form.chunk:not([data-chunk=new]) textarea[name=question]").first().inputValue(),
        )
        .toBe("Do you deliver?");
    });
  });
});
