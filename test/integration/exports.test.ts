/**
 * Exports (docs/cabinet.md "Exports"): dialogs as JSON lines or CSV, leads as CSV, streamed as
 * attachments; RFC 4180 quoting and formula neutralisation; the `from`/`to` days; owners and `read`
 * keys only; thousands of rows across many pages (a dialog longer than a page included) arrive whole
 * and in order.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { csvCell } from "../../src/services/exports/csv.ts";
import { PAGE_ROWS } from "../../src/services/exports/dialog-export.ts";
import { bearer, expectError, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson } from "../helpers/http.ts";

const exportPath = (o: Owner, what: "dialogs" | "leads", query = "") =>
  `/api/v1/tenants/${o.tenantId}/me/${what}/export${query ? `?${query}` : ""}`;

/** A CSV answer's text: it must start with a UTF-8 BOM (so spreadsheets read UTF-8), removed here. */
async function csvText(res: Response): Promise<string> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes.slice(3));
}

/** RFC 4180 parsing (quoted fields, doubled quotes, CRLF inside quotes), as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(cell)}`);
  return rows;
}

const TRICKY = [
  'She said "hi", then left',
  "line one\nline two\r\nline three",
  '=HYPERLINK("http://evil.example","click")',
  "+7 999 123-45-67",
  "-2+3",
  "@SUM(A1:A2)",
  "\tTabbed",
  "Привет, мир — ünïcödé 🎉",
  "plain",
];

interface Seeded {
  /** Dialog ids, newest first. */
  ids: string[];
}

/** Dialogs created one day apart (the first on `start`), each with the given message texts. */
async function seedDialogs(o: Owner, start: string, texts: string[][]): Promise<Seeded> {
  const ids = texts.map(() => crypto.randomUUID());
  await withDb(async ({ db }) => {
    for (const [i, id] of ids.entries()) {
      const created = new Date(Date.parse(`${start}T12:00:00Z`) + i * 86_400_000).toISOString();
      await db.execute(sql`insert into dialogs (id, tenant_id, channel, visitor_id, message_count, created_at, last_message_at)
        values (${id}, ${o.tenantId}, 'web', ${`visitor-${i}`}, ${texts[i]?.length ?? 0}, ${created}, ${created})`);
      for (const [seq, content] of (texts[i] ?? []).entries()) {
        await db.execute(sql`insert into messages (tenant_id, dialog_id, seq, role, content)
          values (${o.tenantId}, ${id}, ${seq + 1}, ${seq % 2 ? "assistant" : "user"}, ${content})`);
      }
    }
  });
  return { ids: ids.reverse() };
}

describe("the dialogs export", () => {
  let owner: Owner;
  let seeded: Seeded;
  beforeAll(async () => {
    owner = await seedOwner();
    seeded = await seedDialogs(owner, "2026-03-01", [TRICKY, ["only one"], [], ["later, later"]]);
  });

  it("streams JSON lines: a dialog with its messages per line, newest first", async () => {
    const res = await call(exportPath(owner, "dialogs", "format=jsonl"), { headers: bearer(owner.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="cip-dialogs-\d{4}-\d{2}-\d{2}\.jsonl"$/,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text.endsWith("\n")).toBe(true);
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).toEqual(seeded.ids);
    const first = lines[3] as { messages: Array<{ seq: number; content: string; role: string }> };
    expect(first.messages.map((m) => m.content)).toEqual(TRICKY);
    expect(first.messages.map((m) => m.seq)).toEqual(TRICKY.map((_t, i) => i + 1));
    expect(lines[1]).toMatchObject({ channel: "web", visitor_id: "visitor-2", messages: [] });
    expect(Object.keys(lines[0] ?? {})).toEqual([
      "id",
      "channel",
      "visitor_id",
      "user_id",
      "title",
      "has_lead",
      "message_count",
      "created_at",
      "last_message_at",
      "messages",
    ]);
  });

  it("writes CSV one row per message, RFC 4180 quoted, formulas neutralised", async () => {
    const res = await call(exportPath(owner, "dialogs", "format=csv"), { headers: bearer(owner.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/filename="cip-dialogs-[\d-]+\.csv"$/);
    const [header, ...rows] = parseCsv(await csvText(res));
    expect(header).toEqual([
      "dialog_id",
      "channel",
      "visitor_id",
      "dialog_created_at",
      "message_id",
      "seq",
      "role",
      "status",
      "created_at",
      "content",
    ]);
    // The empty dialog has no row; the others one row per message.
    expect(rows).toHaveLength(TRICKY.length + 2);
    const tricky = rows.filter((r) => r[0] === seeded.ids[3]);
    expect(tricky.map((r) => r[9])).toEqual([
      'She said "hi", then left',
      "line one\nline two\r\nline three",
      '\'=HYPERLINK("http://evil.example","click")',
      "'+7 999 123-45-67",
      "'-2+3",
      "'@SUM(A1:A2)",
      "'\tTabbed",
      "Привет, мир — ünïcödé 🎉",
      "plain",
    ]);
    expect(tricky.map((r) => r[5])).toEqual(TRICKY.map((_t, i) => String(i + 1)));
    expect(rows[0]?.[9]).toBe("later, later");
  });

  it("keeps to the from/to days (UTC, both included) and the channel", async () => {
    const get = async (query: string) => {
      const res = await call(exportPath(owner, "dialogs", query), { headers: bearer(owner.token) });
      expect(res.status, await res.clone().text()).toBe(200);
      const text = (await res.text()).trimEnd();
      return text === "" ? [] : text.split("\n").map((l) => (JSON.parse(l) as { id: string }).id);
    };
    expect(await get("from=2026-03-02&to=2026-03-03")).toEqual([seeded.ids[1], seeded.ids[2]]);
    expect(await get("from=2026-03-04")).toEqual([seeded.ids[0]]);
    expect(await get("to=2026-03-01")).toEqual([seeded.ids[3]]);
    expect(await get("from=2027-01-01")).toEqual([]);
    expect(await get("channel=telegram")).toEqual([]);
  });

  it("refuses bad queries with 422", async () => {
    for (const query of ["format=xml", "from=2026-03-05&to=2026-03-01", "from=yesterday", "to=2026-02-30"]) {
      await expectError(
        await call(exportPath(owner, "dialogs", query), { headers: bearer(owner.token) }),
        422,
      );
    }
  });

  it("shows nothing of another tenant", async () => {
    const other = await seedOwner();
    const res = await call(exportPath(other, "dialogs"), { headers: bearer(other.token) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    await expectError(await call(exportPath(owner, "dialogs"), { headers: bearer(other.token) }), 403);
  });
});

describe("who may export", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  const key = async (scopes: string[]) => {
    const res = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/me/api-keys`,
      { name: "export", scopes },
      bearer(owner.token),
    );
    return ((await res.json()) as { key: string }).key;
  };

  it("owners and read keys; not members, chat keys or nobody", async () => {
    const member = await seedMember(owner);
    for (const what of ["dialogs", "leads"] as const) {
      await expectError(await call(exportPath(owner, what), { headers: bearer(member.token) }), 403);
      await expectError(await call(exportPath(owner, what)), 401);
      await expectError(
        await call(exportPath(owner, what), { headers: bearer(await key(["chat"])) }),
        403,
        "insufficient_scope",
      );
      const res = await call(exportPath(owner, what, "format=csv"), { headers: bearer(await key(["read"])) });
      expect(res.status).toBe(200);
      expect((await csvText(res)).split("\r\n")[0]).toMatch(/^(dialog_id|id),/);
    }
  });
});

describe("the leads export", () => {
  it("writes CSV newest first with neutralised cells, and honours from/to", async () => {
    const owner = await seedOwner();
    const raws = ["+7 (999) 123-45-67", "=cmd|' /C calc'!A0", "ann@example.com"];
    await withDb(async ({ db }) => {
      for (const [i, raw] of raws.entries()) {
        await db.execute(sql`insert into leads (tenant_id, kind, value, raw, created_at)
          values (${owner.tenantId}, ${raw.includes("@") ? "email" : "phone"}, ${`value-${i}`}, ${raw},
                  ${`2026-05-0${i + 1}T08:00:00Z`})`);
      }
    });
    const res = await call(exportPath(owner, "leads"), { headers: bearer(owner.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/filename="cip-leads-[\d-]+\.csv"$/);
    const [header, ...rows] = parseCsv(await csvText(res));
    expect(header).toEqual(["id", "kind", "value", "raw", "dialog_id", "created_at"]);
    expect(rows.map((r) => r[3])).toEqual(["ann@example.com", "'=cmd|' /C calc'!A0", "'+7 (999) 123-45-67"]);
    expect(rows.map((r) => r[5])).toEqual([
      "2026-05-03T08:00:00.000Z",
      "2026-05-02T08:00:00.000Z",
      "2026-05-01T08:00:00.000Z",
    ]);
    const ranged = await call(exportPath(owner, "leads", "format=jsonl&from=2026-05-02&to=2026-05-02"), {
      headers: bearer(owner.token),
    });
    const lines = (await ranged.text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { raw: string });
    expect(lines.map((l) => l.raw)).toEqual([raws[1]]);
  });
});

describe("a large export", () => {
  it("streams thousands of rows over many pages, a dialog longer than a page whole and in order", async () => {
    const owner = await seedOwner();
    const long = crypto.randomUUID();
    const longCount = PAGE_ROWS * 2 + 345;
    const small = 1500;
    await withDb(async ({ db }) => {
      await db.execute(sql`insert into dialogs (id, tenant_id, channel, visitor_id, created_at)
        values (${long}, ${owner.tenantId}, 'web', 'long', '2026-01-01T00:00:00Z')`);
      await db.execute(sql`insert into messages (tenant_id, dialog_id, seq, role, content)
        select ${owner.tenantId}, ${long}, s, 'user', 'message ' || s || ', with "quotes"'
        from generate_series(1, ${longCount}) s`);
      // Small dialogs, several sharing one created_at (the keyset's id tie-break).
      await db.execute(sql`with d as (
          insert into dialogs (tenant_id, channel, visitor_id, created_at)
          select ${owner.tenantId}, 'telegram', 'v' || s, '2026-02-01T00:00:00Z'::timestamptz + (s / 3) * interval '1 second'
          from generate_series(1, ${small}) s returning id)
        insert into messages (tenant_id, dialog_id, seq, role, content)
        select ${owner.tenantId}, d.id, m, 'user', '=x' from d, generate_series(1, 2) m`);
    });

    const jsonl = await call(exportPath(owner, "dialogs"), { headers: bearer(owner.token) });
    expect(jsonl.status).toBe(200);
    const lines = (await jsonl.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(small + 1);
    const dialogs = lines.map((l) => JSON.parse(l) as { id: string; messages: Array<{ seq: number }> });
    expect(new Set(dialogs.map((d) => d.id)).size).toBe(small + 1);
    expect(dialogs.slice(0, small).every((d) => d.messages.length === 2)).toBe(true);
    const last = dialogs.at(-1);
    expect(last?.id).toBe(long);
    expect(last?.messages.map((m) => m.seq)).toEqual(Array.from({ length: longCount }, (_v, i) => i + 1));

    const csv = await call(exportPath(owner, "dialogs", "format=csv"), { headers: bearer(owner.token) });
    const rows = parseCsv(await csvText(csv)).slice(1);
    expect(rows).toHaveLength(small * 2 + longCount);
    expect(rows.slice(0, small * 2).every((r) => r[9] === "'=x")).toBe(true);
    expect(rows.at(-1)?.[9]).toBe(`message ${longCount}, with "quotes"`);
  }, 60_000);
});

describe("csvCell", () => {
  it("quotes what RFC 4180 needs and neutralises formula starts", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "x"')).toBe('"say ""x"""');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell('=A1,"b"')).toBe(`"'=A1,""b"""`);
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
    expect(csvCell("plain")).toBe("plain");
  });
});
