import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tenants } from "../../src/db/schema.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";

interface Embed {
  chat_url: string;
  embed_url: string;
  iframe_html: string;
  script_html: string;
  allowed_origins: string[];
  widget: { color: string | null; position: string; greeting: string | null };
}

const getEmbed = (o: Owner) => call(`/api/v1/tenants/${o.tenantId}/me/embed`, { headers: bearer(o.token) });
const putSettings = (o: Owner, body: unknown) =>
  callJson("PUT", `/api/v1/tenants/${o.tenantId}/me/embed/settings`, body, bearer(o.token));

describe("embed", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("gives the chat URLs and snippets built on FRONTEND_BASE_URL", async () => {
    const res = await getEmbed(owner);
    expect(res.status).toBe(200);
    const e = (await res.json()) as Embed;
    expect(e.chat_url).toBe(`http://cip.test/${owner.slug}/chat`);
    expect(e.embed_url).toBe(`http://cip.test/${owner.slug}/chat/embed`);
    expect(e.iframe_html).toMatch(/^<iframe src="http:\/\/cip\.test\/[^"]+\/chat\/embed" title="[^"]+"/);
    for (const part of ['allow="clipboard-write"', 'loading="lazy"', 'style="border:0;', "></iframe>"]) {
      expect(e.iframe_html).toContain(part);
    }
    expect(e.script_html).toBe(
      `<script src="http://cip.test/widget.js" data-tenant="${owner.slug}" async></script>`,
    );
    expect(e.allowed_origins).toEqual([]);
    expect(e.widget).toEqual({ color: null, position: "right", greeting: null });
  });

  it("escapes the tenant name inside the iframe title", async () => {
    const o = await seedOwner();
    await withDb(({ db }) => db.update(tenants).set({ name: `A "&" <B>` }).where(eq(tenants.id, o.tenantId)));
    const e = (await (await getEmbed(o)).json()) as Embed;
    expect(e.iframe_html).toContain('title="A &quot;&amp;&quot; &lt;B&gt; — chat"');
  });

  it("stores normalized origins and the widget look, keeping other settings", async () => {
    await withDb(({ db }) =>
      db
        .update(tenants)
        .set({ settings: sql`${tenants.settings} || '{"basePrompt": "keep me"}'::jsonb` })
        .where(eq(tenants.id, owner.tenantId)),
    );
    const res = await putSettings(owner, {
      allowed_origins: [
        "https://Shop.Example/",
        "https://shop.example",
        "http://localhost:3000",
        "https://a.b:443",
      ],
      widget: { color: "#1A73E8", position: "left", greeting: "Привет!" },
    });
    expect(res.status).toBe(200);
    const e = (await res.json()) as Embed;
    expect(e.allowed_origins).toEqual(["https://shop.example", "http://localhost:3000", "https://a.b"]);
    expect(e.widget).toEqual({ color: "#1a73e8", position: "left", greeting: "Привет!" });
    expect(((await (await getEmbed(owner)).json()) as Embed).allowed_origins).toHaveLength(3);
    const [row] = await withDb(({ db }) =>
      db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, owner.tenantId)),
    );
    expect(row?.settings.basePrompt).toBe("keep me");
    const pub = await call(`/api/v1/tenants/by-slug/${owner.slug}`);
    expect(((await pub.json()) as { widget: unknown }).widget).toEqual(e.widget);
    // Without `widget` the look stays; an empty list opens the widget to every site again.
    const again = (await (await putSettings(owner, { allowed_origins: [] })).json()) as Embed;
    expect(again).toMatchObject({ allowed_origins: [], widget: { color: "#1a73e8" } });
  });

  it.each([
    ["https://shop.example/path"],
    ["https://shop.example?x=1"],
    ["https://shop.example#top"],
    ["ftp://shop.example"],
    ["https://*.shop.example"],
    ["https://user:pw@shop.example"],
    ["shop.example"],
    ["javascript:alert(1)"],
    ["https://shop.example; script-src *"],
    ["*"],
    [""],
  ])("refuses the origin %j with 422 naming its index", async (origin) => {
    const res = await putSettings(owner, { allowed_origins: ["https://ok.example", origin] });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.issues?.[0]?.path).toBe("allowed_origins.1");
  });

  it.each([
    ["21 origins", { allowed_origins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example`) }],
    ["no origins field", { widget: { color: "#ffffff" } }],
    ["a bad colour", { allowed_origins: [], widget: { color: "red" } }],
    ["a bad position", { allowed_origins: [], widget: { position: "top" } }],
    ["a long greeting", { allowed_origins: [], widget: { greeting: "x".repeat(201) } }],
    ["origins not a list", { allowed_origins: "https://a.example" }],
  ])("refuses %s with 422", async (_label, body) => {
    const res = await putSettings(owner, body);
    expect(res.status).toBe(422);
    expect((await readError(res)).error.code).toBe("validation_failed");
  });

  it("is for owners only", async () => {
    const member = await seedMember(owner);
    expect((await getEmbed(member)).status).toBe(403);
    expect((await putSettings(member, { allowed_origins: [] })).status).toBe(403);
  });
});
