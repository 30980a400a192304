import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { leads } from "../db/schema.ts";
import { AppError } from "../errors.ts";

export interface LeadItem {
  id: string;
  kind: "email" | "phone";
  value: string;
  raw: string;
  dialog_id: string | null;
  created_at: string;
}

function encodeCursor(at: Date, id: string): string {
  return btoa(`${at.toISOString()}|${id}`).replace(/=+$/, "");
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = atob(cursor).split("|");
    const date = new Date(at ?? "");
    if (!id || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw new AppError("validation_failed", "The cursor is not valid.", {
      issues: [{ path: "cursor", message: "Not a cursor from this list." }],
    });
  }
}

/** The tenant's leads, newest first, with a stable cursor over (created_at, id). */
export async function listLeads(
  db: Database,
  tenantId: string,
  opts: { limit: number; cursor?: string | undefined; kind?: "email" | "phone" | undefined },
): Promise<{ items: LeadItem[]; next_cursor: string | null }> {
  const conditions = [eq(leads.tenantId, tenantId)];
  if (opts.kind) conditions.push(eq(leads.kind, opts.kind));
  if (opts.cursor) {
    const { at, id } = decodeCursor(opts.cursor);
    const older = or(lt(leads.createdAt, at), and(eq(leads.createdAt, at), lt(leads.id, id)));
    if (older) conditions.push(older);
  }
  const rows = await db
    .select()
    .from(leads)
    .where(and(...conditions))
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      value: r.value,
      raw: r.raw,
      dialog_id: r.dialogId,
      created_at: r.createdAt.toISOString(),
    })),
    next_cursor: rows.length > opts.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
