/**
 * Draft, sandbox and publish (docs/cabinet.md "Draft and publish"): the owner adds a chunk in the cabinet;
 * the draft bar says so and the preview's diff shows the new lines (as text); a visitor does not get it
 * yet; the sandbox answers from it; after Publish the visitor does, and the new version is live in the
 * list. Then a restore into the draft, Discard, and "Restore and publish".
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, createOwner, type Owner, signIn } from "./accounts.ts";
import { launch, onFailureShot, shot } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let owner: Owner;
let page: Page;
const errors: string[] = [];
const dialogs: string[] = [];

const OLD = { question: "What are your opening hours?", text: "We open at 9 every day." };
const NEW = {
  question: "Do you ship to Madeira?",
  text: "Yes: we ship to Madeira every Tuesday by ferry <b>free</b>.",
};
const ASK = "Do you ship to Madeira island?";
const WELCOME = "Welcome to the <i>Madeira</i> shop!";

beforeAll(async () => {
  browser = await launch();
  owner = await createOwner("publish", "en");
  // Version 1 holds one unrelated chunk: the visitor bot knows only the opening hours.
  await apiCall(`/tenants/${owner.tenantId}/me/prompt/chunks`, {
    method: "POST",
    token: owner.token,
    body: JSON.stringify(OLD),
  });
  await apiCall(`/tenants/${owner.tenantId}/me/prompt/publish`, { method: "POST", token: owner.token });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  // Confirmations (Discard) are accepted.
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.accept().catch(() => {});
  });
  await signIn(page, owner.tenantId, owner.token);
});
afterAll(async () => {
  await browser?.close();
});

/** A visitor in a fresh browser context asks `text`; resolves with the answer's text. */
async function visitorAsks(text: string, greeting?: (text: string) => void): Promise<string> {
  const context = await browser.newContext();
  const visitor = await context.newPage();
  try {
    await visitor.goto(`${base}/${owner.slug}/chat`);
    await visitor.locator("textarea[name=message]").waitFor();
    greeting?.((await visitor.locator(".msg-greeting").allTextContents()).join("\n"));
    await visitor.locator("textarea[name=message]").fill(text);
    await visitor.locator("textarea[name=message]").press("Enter");
    const answer = visitor.locator(".msg-assistant:not(.msg-greeting)").last();
    await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
    return (await answer.textContent()) ?? "";
  } finally {
    await context.close();
  }
}

const bar = () => page.locator("section.draft-bar");
const release = (v: number) => page.locator(`li.release[data-version="${v}"]`);

describe("draft, sandbox and publish", () => {
  it("keeps a new chunk from visitors until it is published, while the sandbox answers from it", async () => {
    await onFailureShot(page, "publish-draft", async () => {
      await page.goto(`${base}/${owner.slug}/my/prompt`);
      await expect.poll(() => bar().getAttribute("data-draft")).toBe("clean");
      expect(await release(1).getAttribute("data-live")).toBe("true");

      const form = page.locator("form[data-chunk=new]");
      await form.locator("textarea[name=question]").fill(NEW.question);
      await form.locator("textarea[name=text]").fill(NEW.text);
      await form.locator("button[type=submit]").click();
      await expect.poll(() => bar().getAttribute("data-draft")).toBe("changed");
      expect(await bar().locator(".draft-state").textContent()).toBe("Unpublished changes: chunks added: 1.");
      const welcome = page.locator("form[data-form=welcome]");
      await welcome.locator("textarea").fill(WELCOME);
      await welcome.locator("button[type=submit]").click();
      await welcome.locator(".form-status.ok").waitFor();
      await expect
        .poll(() => bar().locator(".draft-state").textContent())
        .toBe("Unpublished changes: welcome text, chunks added: 1.");

      // The preview: the draft holds the chunk, the published prompt does not, the diff adds its lines.
      await page.locator("details.prompt-compare > summary").click();
      const draftSide = page.locator("[data-side=draft] pre");
      expect(await draftSide.textContent()).toContain(NEW.text);
      expect(await page.locator("[data-side=published] pre").textContent()).not.toContain("Madeira");
      const added = await page.locator("pre.prompt-diff ins.diff-added").allTextContents();
      expect(added.some((l) => l.includes(NEW.text))).toBe(true);
      expect(await page.locator("pre.prompt-diff del.diff-removed").count()).toBe(0);
      // The unchanged base prompt folds into one line above the change.
      expect(await page.locator("pre.prompt-diff .diff-skip").first().textContent()).toMatch(
        /^… \d+ unchanged lines …$/,
      );
      // Prompt text is text: the <b> in the chunk stays literal everywhere.
      expect(await page.locator(".prompt-compare b").count()).toBe(0);
      await shot(page, "publish-preview", true);

      let greeting = "";
      expect(await visitorAsks(ASK, (g) => (greeting = g))).not.toContain("every Tuesday by ferry");
      expect(greeting).not.toContain("Madeira");

      const sandbox = page.locator("form[data-form=sandbox]");
      await sandbox.locator("textarea").fill(ASK);
      await sandbox.locator("textarea").press("Enter");
      const answer = sandbox.locator("li.sandbox-msg[data-role=assistant]").last();
      await expect.poll(() => answer.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(await answer.locator(".sandbox-text").textContent()).toContain(
        "every Tuesday by ferry <b>free</b>",
      );
      expect(await sandbox.locator("li.sandbox-msg[data-role=user]").allTextContents()).toEqual([
        `You${ASK}`,
      ]);
      // A second message goes with the first exchange as its history.
      await sandbox.locator("textarea").fill("And the opening hours?");
      await sandbox.locator("button[type=submit]").click();
      await expect
        .poll(() => sandbox.locator("li.sandbox-msg[data-state=done]").count(), { timeout: 30_000 })
        .toBe(2);
      expect(await answer.textContent()).toContain(OLD.text);
      await shot(page, "publish-sandbox", true);
      await sandbox.locator("[data-action=sandbox-clear]").click();
      expect(await sandbox.locator("li.sandbox-msg").count()).toBe(0);
    });
  });

  it("publishes: the visitor's next answer uses the chunk and version 2 is live", async () => {
    await onFailureShot(page, "publish-live", async () => {
      await bar().locator("[data-action=publish]").click();
      await bar().locator(".form-status.ok").waitFor();
      await expect.poll(() => bar().getAttribute("data-draft")).toBe("clean");
      await release(2).waitFor();
      expect(await release(2).getAttribute("data-live")).toBe("true");
      expect(await release(1).getAttribute("data-live")).toBe("false");
      expect(await page.locator("li.release").first().getAttribute("data-version")).toBe("2");
      expect(await bar().locator("[data-action=publish]").isDisabled()).toBe(true);
      await shot(page, "publish-versions", true);
      let greeting = "";
      expect(await visitorAsks(ASK, (g) => (greeting = g))).toContain("every Tuesday by ferry");
      expect(greeting).toContain(WELCOME);
    });
  });

  it("restores version 1 into the draft, discards that, then restores and publishes it", async () => {
    await onFailureShot(page, "publish-restore", async () => {
      await release(1).locator("[data-action=restore]").click();
      await expect.poll(() => bar().getAttribute("data-draft")).toBe("changed");
      expect(await bar().locator(".draft-state").textContent()).toBe(
        "Unpublished changes: welcome text, chunks removed: 1.",
      );
      await expect.poll(() => page.locator("form.chunk:not([data-chunk=new])").count()).toBe(1);

      await bar().locator("[data-action=discard]").click();
      await expect.poll(() => bar().getAttribute("data-draft")).toBe("clean");
      expect(dialogs.at(-1)).toContain("version 2");
      await expect.poll(() => page.locator("form.chunk:not([data-chunk=new])").count()).toBe(2);

      await release(1).locator("[data-action=restore-publish]").click();
      await release(3).waitFor();
      expect(await release(3).getAttribute("data-live")).toBe("true");
      expect(await release(3).textContent()).toContain("restored from version 1");
      await expect.poll(() => bar().getAttribute("data-draft")).toBe("clean");
      await expect.poll(() => page.locator("form.chunk:not([data-chunk=new])").count()).toBe(1);
      await expect.poll(() => page.locator("form[data-form=welcome] textarea").inputValue()).toBe("");
      expect(await visitorAsks(ASK)).not.toContain("every Tuesday by ferry");
    });
    expect(errors).toEqual([]);
  });
});
