/**
 * A tenant's starter questions: up to `STARTERS_MAX` short questions the chat page and the widget show as
 * chips before the first message. Kept in `tenants.settings.starters` (public: the by-slug config and the
 * embed page carry them); written by the cabinet (`PUT …/me/starters`) and the setup chat (`SET_STARTERS`).
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { tenants } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { STARTER_MAX_CHARS, STARTERS_MAX } from "../../schemas/limits.ts";

/** Why a list of starters cannot be stored, or null when it can. */
export type StartersProblem =
  | { kind: "too_many"; max: number }
  | { kind: "empty" }
  | { kind: "too_long"; max: number; text: string }
  | { kind: "duplicate"; text: string };

/** Trims every question; the list as stored. */
export function trimStarters(list: readonly string[]): string[] {
  return list.map((s) => s.replace(/\s+/g, " ").trim());
}

/** What is wrong with a trimmed list: more than 6, an empty one, one over 80 characters, a repeat. */
export function startersProblem(list: readonly string[]): StartersProblem | null {
  if (list.length > STARTERS_MAX) return { kind: "too_many", max: STARTERS_MAX };
  const seen = new Set<string>();
  for (const text of list) {
    if (text.length === 0) return { kind: "empty" };
    if ([...text].length > STARTER_MAX_CHARS) return { kind: "too_long", max: STARTER_MAX_CHARS, text };
    const key = text.toLocaleLowerCase();
    if (seen.has(key)) return { kind: "duplicate", text };
    seen.add(key);
  }
  return null;
}

/** The tenant's starters (empty when none are set). */
export async function getStarters(db: Database, tenantId: string): Promise<string[]> {
  const [row] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row.settings.starters ?? [];
}

/**
 * Replaces the tenant's starters (trimmed; an empty list removes them). Refuses a list that breaks the
 * rules with `validation_failed`. Only this key of the settings JSON is written, so a concurrent change of
 * another setting survives. The caller drops the cached settings after the commit.
 */
export async function setStarters(
  db: Database,
  tenantId: string,
  input: readonly string[],
): Promise<string[]> {
  const starters = trimStarters(input);
  const problem = startersProblem(starters);
  if (problem) throw new AppError("validation_failed", problemMessage(problem));
  const [row] = await db
    .update(tenants)
    .set({
      settings: sql`(coalesce(${tenants.settings}, '{}'::jsonb) - 'starters') || ${JSON.stringify(
        starters.length > 0 ? { starters } : {},
      )}::jsonb`,
      updatedAt: new Date(),
    })
    .where(eq(tenants.id, tenantId))
    .returning({ settings: tenants.settings });
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row.settings.starters ?? [];
}

function problemMessage(p: StartersProblem): string {
  switch (p.kind) {
    case "too_many":
      return `At most ${p.max} starter questions.`;
    case "empty":
      return "A starter question cannot be empty.";
    case "too_long":
      return `A starter question is at most ${p.max} characters.`;
    case "duplicate":
      return "The starter questions must differ from each other.";
  }
}
