/**
 * Lead alerts by e-mail (docs/integrations.md): each lead new to the tenant reaches its owners through the
 * real SMTP sink in the tenant's language, with the contact, the visitor's last message and the dialog's
 * cabinet link; at most one mail per dialog per 10 minutes (later leads ride with the next one); owners who
 * turned `notify_leads` off and plain members get none.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { DialogStore } from "../../src/durable-objects/dialog-store.ts";
import { syncDialog } from "../../src/durable-objects/dialog-sync.ts";
import type { NewLead } from "../../src/services/webhooks/events.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, storedMessages, visitor } from "../helpers/chat.ts";
import { call, callJson } from "../helpers/http.ts";
import { mailsTo, type SinkMessage } from "../helpers/mail.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";
import { createHook, waitForReceived } from "../helpers/webhooks.ts";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alertsTo = async (email: string, subject: RegExp): Promise<SinkMessage[]> =>
  (await mailsTo(email)).filter((m) => subject.test(m.subject));

async function waitForAlerts(email: string, subject: RegExp, count: number): Promise<SinkMessage[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = await alertsTo(email, subject);
    if (list.length >= count) return list;
    if (Date.now() > deadline) throw new Error(`expected ${count} alert(s) to ${email}, got ${list.length}`);
    await pause(100);
  }
}

async function say(owner: Owner, user: string, message: string, dialogId?: string): Promise<string> {
  const tag = await script({ reply: "Thank you!" });
  const res = await chat(owner.tenantId, {
    user_id: user,
    message: `${message} ${tag}`,
    ...(dialogId ? { dialog_id: dialogId } : {}),
  });
  expect(res.status).toBe(200);
  return dialogIdOf(await readSse(res));
}

const profile = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/profile`;

describe("lead alert e-mails", () => {
  let ru: Owner;
  let en: Owner;
  beforeAll(async () => {
    ru = await seedOwner({ locale: "ru" });
    en = await seedOwner({ locale: "en" });
  });

  it("reach the owner in Russian with the contact, the last message and the dialog link", async () => {
    const dialogId = await say(ru, visitor(), "Перезвоните мне: +7 912 345-67-01, спасибо");
    const [mail] = await waitForAlerts(ru.email, /Новый контакт/, 1);
    expect(mail?.subject).toBe(`Новый контакт — Tenant ${ru.slug}`);
    expect(mail?.text).toContain("оставил контакты");
    expect(mail?.text).toContain("+79123456701");
    expect(mail?.text).toContain("Перезвоните мне: +7 912 345-67-01, спасибо");
    expect(mail?.text).toContain(`http://cip.test/${ru.slug}/my/dialogs/${dialogId}`);
    expect(mail?.text).toContain(`http://cip.test/${ru.slug}/my/profile`);
    expect(mail?.html).toContain(`href="http://cip.test/${ru.slug}/my/dialogs/${dialogId}"`);
  });

  it("reach the owner in English, the visitor's text escaped in the HTML part", async () => {
    const dialogId = await say(en, visitor(), "I am <b>Ann</b>, mail me at ann.alert@example.com");
    const [mail] = await waitForAlerts(en.email, /New lead/, 1);
    expect(mail?.subject).toBe(`New lead — Tenant ${en.slug}`);
    expect(mail?.text).toContain("ann.alert@example.com");
    expect(mail?.text).toContain("Their last message:");
    expect(mail?.text).toContain(`http://cip.test/${en.slug}/my/dialogs/${dialogId}`);
    expect(mail?.html).toContain("&#60;b&#62;Ann&#60;/b&#62;");
    expect(mail?.html).not.toContain("<b>Ann</b>");
  });

  it("are sent once per dialog per 10 minutes; later leads go into the next one", async () => {
    const owner = await seedOwner({ locale: "en" });
    const user = visitor();
    const dialogId = await say(owner, user, "first: one@gap.example");
    await waitForAlerts(owner.email, /New lead/, 1);
    await say(owner, user, "second: two@gap.example", dialogId);
    await say(owner, user, "third: +44 20 7946 0111", dialogId);
    // Another dialog is not held back by this one's gap.
    const other = await say(owner, visitor(), "other: three@gap.example");
    const twoDialogs = await waitForAlerts(owner.email, /New lead/, 2);
    expect(twoDialogs[1]?.text).toContain(`/my/dialogs/${other}`);
    await pause(500);
    expect((await alertsTo(owner.email, /New lead/)).length).toBe(2);

    // Ten minutes later (moved back in the outbox's storage), the waiting leads go out together.
    const stub = env.OUTBOX.getByName(owner.tenantId);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE alerts_sent SET at = at - 600000");
      state.storage.sql.exec("UPDATE alerts SET due_at = due_at - 600000");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const all = await waitForAlerts(owner.email, /New leads \(2\)/, 1);
    const [later] = all;
    expect(later?.text).toContain("two@gap.example");
    expect(later?.text).toContain("+442079460111");
    expect(later?.text).toContain("third: +44 20 7946 0111");
    expect(later?.text).toContain(`/my/dialogs/${dialogId}`);
    expect((await alertsTo(owner.email, /New lead/)).length).toBe(3);
  });

  it("skip a contact the tenant already had", async () => {
    const owner = await seedOwner({ locale: "en" });
    const hook = await createHook(owner, ["lead.created", "message.created"]);
    await say(owner, visitor(), "known@dup.example");
    await waitForAlerts(owner.email, /New lead/, 1);
    await say(owner, visitor(), "me too: known@dup.example");
    // The second dialog's messages were delivered, so its sync ran: still one alert and one lead event.
    await waitForReceived(hook.path, (l) => l.filter((r) => r.event === "message.created").length >= 4);
    await pause(300);
    expect((await alertsTo(owner.email, /New lead/)).length).toBe(1);
    expect(
      (await waitForReceived(hook.path, () => true)).filter((r) => r.event === "lead.created"),
    ).toHaveLength(1);
  });

  it("go only to owners who keep notify_leads on", async () => {
    const owner = await seedOwner({ locale: "en" });
    const second = await seedMember(owner);
    const member = await seedMember(owner);
    const promoted = await callJson(
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/members/${second.userId}`,
      { role: "owner" },
      bearer(owner.token),
    );
    expect(promoted.status).toBe(200);
    const before = (await (await call(profile(owner), { headers: bearer(owner.token) })).json()) as Record<
      string,
      unknown
    >;
    expect(before).toMatchObject({ notify_leads: true, telegram_linked: false });
    const off = await callJson("PATCH", profile(owner), { notify_leads: false }, bearer(owner.token));
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ notify_leads: false });

    await say(owner, visitor(), "quiet@owners.example");
    const [mail] = await waitForAlerts(second.email, /New lead/, 1);
    expect(mail?.text).toContain("quiet@owners.example");
    await pause(300);
    expect(await alertsTo(owner.email, /New lead/)).toHaveLength(0);
    expect(await alertsTo(member.email, /New lead/)).toHaveLength(0);

    const on = await callJson("PATCH", profile(owner), { notify_leads: true }, bearer(owner.token));
    expect(await on.json()).toMatchObject({ notify_leads: true });
    await say(owner, visitor(), "loud@owners.example");
    await waitForAlerts(owner.email, /New lead/, 1);
  });

  it("cover contacts from cip:identify, with or without a dialog", async () => {
    const owner = await seedOwner({ locale: "en" });
    const identify = (body: Record<string, unknown>) =>
      callJson("POST", `/api/v1/tenants/${owner.tenantId}/chat/identify`, body);
    const alone = await identify({ user_id: visitor(), name: "Lone Lee", email: "lone@identify.example" });
    expect(await alone.json()).toEqual({ stored: 1, dialog_id: null });
    const [first] = await waitForAlerts(owner.email, /New lead/, 1);
    expect(first?.text).toContain("Lone Lee <lone@identify.example>");
    expect(first?.text).toContain(`http://cip.test/${owner.slug}/my/leads`);

    const user = visitor();
    const dialogId = await say(owner, user, "Hello there");
    const linked = await identify({ user_id: user, dialog_id: dialogId, email: "linked@identify.example" });
    expect(linked.status).toBe(200);
    const mails = await waitForAlerts(owner.email, /New lead/, 2);
    expect(mails[1]?.text).toContain("linked@identify.example");
    expect(mails[1]?.text).toContain(`/my/dialogs/${dialogId}`);
    expect(mails[1]?.text).toContain("Hello there");
  });

  it("refuse a notify_leads that is not a boolean", async () => {
    const res = await callJson("PATCH", profile(ru), { notify_leads: "no" }, bearer(ru.token));
    expect(res.status).toBe(422);
  });
});

describe("new leads of a dialog sync", () => {
  it("are reported once, also when a sync's commit answer was lost and it ran again", async () => {
    const owner = await seedOwner({ locale: "en" });
    const taken = await say(owner, visitor(), "taken@retry.example");
    const dialogId = await say(owner, visitor(), "Hello");
    await storedMessages(dialogId, 2);
    await storedMessages(taken, 2);
    const reported = await runInDurableObject(env.DIALOGS.getByName(dialogId), async (_instance, state) => {
      const store = new DialogStore(state.storage.sql);
      const meta = store.meta();
      if (!meta) throw new Error("no dialog meta");
      const calls: NewLead[][] = [];
      const sync = async (lose: boolean) => {
        const handle = openDatabase(env, () => meta.tenantId);
        // The statement commits, then its answer is lost on the way back.
        const once: typeof handle.once = async (statement) => {
          const rows = await handle.once(statement);
          if (lose) throw new Error("test: the commit's answer was lost");
          return rows as never;
        };
        try {
          await syncDialog(once, store, meta, (leads) => calls.push(leads));
        } finally {
          await handle.close();
        }
      };
      store.addLead("email", "lost@retry.example", "lost@retry.example");
      // Another dialog's lead: stored there first, so never new here.
      store.addLead("email", "taken@retry.example", "taken@retry.example");
      await expect(sync(true)).rejects.toThrow(/answer was lost/);
      await sync(false);
      await sync(false);
      return calls;
    });
    expect(reported).toHaveLength(1);
    expect(reported[0]?.map((l) => l.value)).toEqual(["lost@retry.example"]);
  });
});
