/**
 * Stored == sent for the day profile: after the dialog objects have synced (a bounded poll), every
 * dialog's rows in Postgres must be exactly the turns the client saw in it, in order: the visitor's
 * message as sent, then the answer as it was streamed, `complete`, and nothing else. The cabinet API's
 * `message_count` per tenant is checked against the same numbers.
 */
import pg from "pg";
import { apiOk } from "./api-accounts.ts";
import type { DayTurn } from "./day-run.ts";
import type { DayTenant } from "./day-setup.ts";

export interface TenantCheck {
  /** Messages compared (user + assistant). */
  compared: number;
  /** Rows in Postgres for the tenant. */
  stored: number;
  /** Sum of message_count over the dialogs the cabinet lists. */
  cabinet: number;
  dialogs: number;
  mismatches: string[];
}

export interface SyncWait {
  waitedMs: number;
  /** False when the poll gave up before every accepted turn was stored. */
  complete: boolean;
}

interface Row {
  tenant_id: string;
  dialog_id: string;
  seq: number;
  role: string;
  status: string;
  content: string;
}

let connections = 0;
/** Counts a connection opened outside withClient. */
export const countConnection = () => {
  connections += 1;
};
/** Connections this module opened (they count in pg_stat_database's sessions too). */
export const ownConnections = () => connections;

/** Runs `f` on a connection of its own to `url`, counted in ownConnections. */
export async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  connections += 1;
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}

/** Polls (every second, at most `timeoutMs`) until Postgres holds ≥ 2 rows per accepted turn. */
export async function waitForSync(
  url: string,
  tenantIds: string[],
  accepted: number,
  timeoutMs: number,
): Promise<SyncWait> {
  const started = Date.now();
  for (;;) {
    const { rows } = await withClient(url, (c) =>
      c.query<{ n: string }>("select count(*) as n from messages where tenant_id = any($1::uuid[])", [
        tenantIds,
      ]),
    );
    const n = Number(rows[0]?.n ?? 0);
    if (n >= 2 * accepted) return { waitedMs: Date.now() - started, complete: true };
    if (Date.now() - started > timeoutMs) return { waitedMs: Date.now() - started, complete: false };
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function cabinetCount(baseUrl: string, t: DayTenant): Promise<number> {
  let total = 0;
  let cursor: string | null | undefined;
  do {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = (await apiOk(baseUrl, `/tenants/${t.tenantId}/me/dialogs?${query}`, {
      token: t.token,
      ip: `10.250.${t.rank}.1`,
    })) as { items: Array<{ message_count: number }>; next_cursor?: string | null };
    total += page.items.reduce((s, d) => s + d.message_count, 0);
    cursor = page.next_cursor;
  } while (cursor);
  return total;
}

const clip = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** Compares one dialog's rows with the turns the client saw in it (in the order it sent them). */
function compareDialog(dialog: string, sent: DayTurn[], rows: Row[], out: string[]): number {
  const want: Array<{ role: string; content: string }> = sent.flatMap((t) => [
    { role: "user", content: t.sent },
    { role: "assistant", content: t.text },
  ]);
  const short = dialog.slice(0, 8);
  if (rows.length !== want.length)
    out.push(`dialog ${short}: ${rows.length} rows stored, ${want.length} sent and answered`);
  for (let i = 0; i < Math.min(rows.length, want.length); i++) {
    const row = rows[i] as Row;
    const w = want[i] as { role: string; content: string };
    if (row.role !== w.role || row.content !== w.content)
      out.push(
        `dialog ${short} #${i}: stored ${row.role} ${clip(row.content)}, sent ${w.role} ${clip(w.content)}`,
      );
    else if (row.role === "assistant" && row.status !== "complete")
      out.push(`dialog ${short} #${i}: answer stored as ${row.status}`);
  }
  return Math.min(rows.length, want.length);
}

/** Checks every tenant: the rows of each dialog against the turns the client saw, and the cabinet's count. */
export async function checkStored(
  url: string,
  baseUrl: string,
  tenants: DayTenant[],
  turns: DayTurn[],
): Promise<TenantCheck[]> {
  const rows = await withClient(url, async (c) => {
    const r = await c.query<Row>(
      "select tenant_id, dialog_id, seq, role, status, content from messages where tenant_id = any($1::uuid[]) order by dialog_id, seq",
      [tenants.map((t) => t.tenantId)],
    );
    return r.rows;
  });
  return Promise.all(
    tenants.map(async (t, i) => {
      const mine = rows.filter((r) => r.tenant_id === t.tenantId);
      // Turns without an answer the client saw end (any error) are reported as errors; a stored message of
      // one of them then shows up here as a row nobody expected.
      const answered = turns.filter((x) => x.tenant === i && x.end === "done" && x.dialogId);
      const byDialog = new Map<string, DayTurn[]>();
      for (const x of [...answered].sort((a, b) => a.startedAt - b.startedAt))
        byDialog.set(x.dialogId as string, [...(byDialog.get(x.dialogId as string) ?? []), x]);
      const storedBy = new Map<string, Row[]>();
      for (const r of mine) storedBy.set(r.dialog_id, [...(storedBy.get(r.dialog_id) ?? []), r]);
      const mismatches: string[] = [];
      let compared = 0;
      for (const [dialog, stored] of storedBy)
        if (!byDialog.has(dialog))
          mismatches.push(`dialog ${dialog.slice(0, 8)}: ${stored.length} rows nobody sent`);
      for (const [dialog, sent] of byDialog)
        compared += compareDialog(dialog, sent, storedBy.get(dialog) ?? [], mismatches);
      return {
        compared,
        stored: mine.length,
        // A wedged stack must still give a report: an unreadable cabinet counts as a mismatch.
        cabinet: await cabinetCount(baseUrl, t).catch((err: unknown) => {
          mismatches.push(`cabinet unreadable: ${err instanceof Error ? err.message : String(err)}`);
          return -1;
        }),
        dialogs: byDialog.size,
        mismatches,
      };
    }),
  );
}
