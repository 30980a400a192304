/**
 * Saved items: what a signed-in user bookmarked (a message, a lead, a gallery image, a note). Each user
 * sees and deletes only its own. A reference must name a row of the same tenant the user may see: a
 * member only messages and leads of its own dialogs.
 */
import { and, count, eq, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  decodeCursor,
  exactTimestamp,
  type KeysetPage,
  keysetPage,
  newestFirst,
  olderThan,
} from "../../db/keyset.ts";
import { dialogs, galleryImages, leads, messages, savedItems } from "../../db/schema.ts";
import type { AuthContext } from "../../env.ts";
import { AppError } from "../../errors.ts";

/** How many items one user can keep; saving beyond answers 409. */
export const SAVED_ITEMS_PER_USER_MAX = 1000;

export type SavedKind = "message" | "lead" | "image" | "note";

export interface SavedItem {
  id: string;
  kind: SavedKind;
  ref: string | null;
  note: string | null;
  created_at: string;
}

export interface SavedInput {
  kind: SavedKind;
  ref?: string | undefined;
  note?: string | undefined;
}

function toItem(row: typeof savedItems.$inferSelect): SavedItem {
  return {
    id: row.id,
    kind: row.kind,
    ref: row.ref,
    note: row.note,
    created_at: row.createdAt.toISOString(),
  };
}

const ownItems = (auth: AuthContext): SQL =>
  and(eq(savedItems.tenantId, auth.tenantId), eq(savedItems.userId, auth.userId)) as SQL;

/** Whether `ref` names a row of this kind that the caller may see (ids are checked as UUIDs by the schema). */
async function refExists(db: Database, auth: AuthContext, kind: SavedKind, ref: string): Promise<boolean> {
  const ownDialog = auth.role === "owner" ? undefined : eq(dialogs.userId, auth.userId);
  if (kind === "message") {
    const rows = await db
      .select({ id: messages.id })
      .from(messages)
      .innerJoin(dialogs, and(eq(dialogs.id, messages.dialogId), eq(dialogs.tenantId, auth.tenantId)))
      .where(and(eq(messages.id, ref), eq(messages.tenantId, auth.tenantId), ownDialog))
      .limit(1);
    return rows.length > 0;
  }
  if (kind === "lead") {
    // A lead may have lost its dialog (set null): the owner still sees it, a member no longer does.
    const rows = await db
      .select({ id: leads.id })
      .from(leads)
      .leftJoin(dialogs, and(eq(dialogs.id, leads.dialogId), eq(dialogs.tenantId, auth.tenantId)))
      .where(and(eq(leads.id, ref), eq(leads.tenantId, auth.tenantId), ownDialog))
      .limit(1);
    return rows.length > 0;
  }
  if (kind === "image") {
    const rows = await db
      .select({ id: galleryImages.id })
      .from(galleryImages)
      .where(and(eq(galleryImages.id, ref), eq(galleryImages.tenantId, auth.tenantId)))
      .limit(1);
    return rows.length > 0;
  }
  return true;
}

/** Saves an item for the caller; a reference it may not see is a 422 naming `ref`. */
export async function createSavedItem(
  db: Database,
  auth: AuthContext,
  input: SavedInput,
): Promise<SavedItem> {
  const ref = input.ref ? input.ref : null;
  const note = input.note ? input.note : null;
  if (input.kind !== "note" && (ref === null || !(await refExists(db, auth, input.kind, ref)))) {
    throw new AppError("validation_failed", "The saved item does not name anything you can see.", {
      issues: [{ path: "ref", message: `No such ${input.kind} in this space.` }],
    });
  }
  const [{ total = 0 } = {}] = await db.select({ total: count() }).from(savedItems).where(ownItems(auth));
  if (total >= SAVED_ITEMS_PER_USER_MAX) {
    throw new AppError("conflict", `You can keep at most ${SAVED_ITEMS_PER_USER_MAX} saved items.`);
  }
  const [row] = await db
    .insert(savedItems)
    .values({
      tenantId: auth.tenantId,
      userId: auth.userId,
      kind: input.kind,
      ref: input.kind === "note" ? ref : (ref?.toLowerCase() ?? null),
      note,
    })
    .returning();
  if (!row) throw new Error("saved item insert returned nothing");
  return toItem(row);
}

/** One page of the caller's saved items, newest first, optionally of one kind. */
export async function listSavedItems(
  db: Database,
  auth: AuthContext,
  query: { cursor?: string | undefined; limit: number; kind?: SavedKind | undefined },
): Promise<KeysetPage<SavedItem>> {
  const where: SQL[] = [ownItems(auth)];
  if (query.kind) where.push(eq(savedItems.kind, query.kind));
  if (query.cursor) where.push(olderThan(savedItems.createdAt, savedItems.id, decodeCursor(query.cursor)));
  const rows = await db
    .select({ item: savedItems, cursorAt: exactTimestamp(savedItems.createdAt) })
    .from(savedItems)
    .where(and(...where))
    .orderBy(...newestFirst(savedItems.createdAt, savedItems.id))
    .limit(query.limit + 1);
  return keysetPage(
    rows,
    query.limit,
    (r) => ({ at: r.cursorAt, id: r.item.id }),
    (r) => toItem(r.item),
  );
}

/** Deletes one of the caller's items; anyone else's (or none) is a 404. */
export async function deleteSavedItem(db: Database, auth: AuthContext, itemId: string): Promise<void> {
  const gone = await db
    .delete(savedItems)
    .where(and(eq(savedItems.id, itemId), ownItems(auth)))
    .returning({ id: savedItems.id });
  if (gone.length === 0) throw new AppError("not_found", "No such saved item.");
}
