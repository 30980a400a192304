/** Published prompts (migration 0014): what visitors get, frozen from the tenant's draft by "publish". */
import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { tenantRef, users } from "./tenants.ts";

/** A chunk as a release keeps it. */
export interface ReleasedChunk {
  id: string;
  position: number;
  question: string;
  text: string;
}

/**
 * One published version of a tenant's prompt: the base prompt ('' = the platform default), the welcome
 * text, the starters and the chunks as the draft held them at publish time. The newest row is live.
 */
export const promptReleases = pgTable(
  "prompt_releases",
  {
    id: id(),
    tenantId: tenantRef(),
    version: integer("version").notNull(),
    basePrompt: text("base_prompt").notNull().default(""),
    welcomeText: text("welcome_text"),
    starters: jsonb("starters").$type<string[]>().notNull().default([]),
    chunks: jsonb("chunks").$type<ReleasedChunk[]>().notNull().default([]),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "set null" }),
    restoredFrom: integer("restored_from"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("prompt_releases_tenant_version_idx").on(t.tenantId, t.version.desc()),
    check("prompt_releases_version_positive", sql`${t.version} > 0`),
  ],
);
