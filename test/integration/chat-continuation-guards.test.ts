/**
 * The edge's checks around dialog continuation (issue 18, part 1): a message that continues the visitor's
 * latest dialog without naming it is not a new dialog (no Turnstile, no new-dialog count); `new_dialog`
 * and a first message are (both checks apply); a caller the widget-token check refuses is refused before
 * its directory is even asked.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DUMMY_TOKEN, TEST_SECRETS, TEST_SITE_KEYS } from "../../scripts/lib/fake-turnstile.ts";
import { visitorDirectoryName } from "../../src/durable-objects/visitor-directory.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { putBudget } from "../helpers/budget.ts";
import { chat, chatJson, visitor } from "../helpers/chat.ts";
import { callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";

const putSettings = (o: Owner, body: unknown) =>
  callJson("PUT", `/api/v1/tenants/${o.tenantId}/me/embed/settings`, body, bearer(o.token));

/** A client address of this test's own. */
function address(): string {
  const n = crypto.getRandomValues(new Uint8Array(3));
  return `10.${n[0]}.${n[1]}.${n[2]}`;
}

describe("continuing without dialog_id at the edge", () => {
  it("needs no Turnstile token and does not count as a new dialog; new_dialog needs and counts both", async () => {
    const owner = await seedOwner();
    expect((await putBudget(owner, { ip_messages_per_minute: 0, ip_new_dialogs_per_minute: 2 })).status).toBe(
      200,
    );
    const put = await putSettings(owner, {
      allowed_origins: [],
      turnstile: { site_key: TEST_SITE_KEYS.pass, secret: TEST_SECRETS.pass },
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const ip = { "cf-connecting-ip": address() };
    const user = visitor();

    // The first message starts the dialog: Turnstile applies (the refused attempt counts as a new dialog too).
    const refused = await chatJson(owner.tenantId, { user_id: user, message: "hi" }, ip);
    expect(refused.status).toBe(403);
    expect((await readError(refused)).error.code).toBe("turnstile_required");
    const first = await chatJson(
      owner.tenantId,
      { user_id: user, message: "hi", turnstile_token: DUMMY_TOKEN },
      ip,
    );
    expect(first.status, await first.clone().text()).toBe(200);
    const { dialog_id } = (await first.json()) as { dialog_id: string };

    // Continuing it: no token, and the two new dialogs a minute this address may open are not spent again.
    for (let i = 0; i < 3; i++) {
      const res = await chat(owner.tenantId, { user_id: user, message: `more ${i}` }, ip);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.text()).toContain(`"dialog_id":"${dialog_id}"`);
    }

    // A really new dialog from the same address is one too many this minute, before any model call.
    const tag = await script({ reply: "never" });
    const again = await chatJson(
      owner.tenantId,
      { user_id: user, message: `new ${tag}`, new_dialog: true, turnstile_token: DUMMY_TOKEN },
      ip,
    );
    expect(again.status).toBe(429);
    expect(await requestsFor(tag)).toEqual([]);
    // From another address the new dialog still needs its human check.
    const other = { "cf-connecting-ip": address() };
    const unchecked = await chatJson(
      owner.tenantId,
      { user_id: user, message: "new", new_dialog: true },
      other,
    );
    expect(unchecked.status).toBe(403);
    expect((await readError(unchecked)).error.code).toBe("turnstile_required");
    const checked = await chatJson(
      owner.tenantId,
      { user_id: user, message: "new", new_dialog: true, turnstile_token: DUMMY_TOKEN },
      other,
    );
    expect(checked.status).toBe(200);
    expect(((await checked.json()) as { dialog_id: string }).dialog_id).not.toBe(dialog_id);
  });

  it("refuses a protected embed's caller without a widget token before looking anything up", async () => {
    const owner = await seedOwner();
    expect((await putSettings(owner, { allowed_origins: [], protected_embed: true })).status).toBe(200);
    const user = visitor();
    const res = await chatJson(owner.tenantId, { user_id: user, message: "hi" });
    expect(res.status).toBe(401);
    expect((await readError(res)).error.code).toBe("widget_token_required");
    const looked = await runInDurableObject(
      env.VISITORS.getByName(visitorDirectoryName(owner.tenantId, user)),
      (_instance, state) => state.storage.sql.exec("SELECT count(*) AS n FROM latest").one().n,
    );
    expect(looked).toBe(0);
  });
});
