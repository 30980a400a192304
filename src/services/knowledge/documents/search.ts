/**
 * Full-text retrieval over the tenant's passages. The query is parsed with both the Russian and the
 * English configuration and the two are OR-ed, matching the `tsv` column (Russian || English stems), so
 * "окна" finds "окно" and "windows" finds "window" whatever language the question is in. Words are
 * OR-ed too (a question in natural language rarely has every word in one passage); ts_rank_cd ranks
 * passages that hold more of them, closer together, higher. At most two passages per document.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client.ts";

export interface PassageHit {
  document_id: string;
  title: string;
  /** Plain text around the matches (no markup); fragments are joined with " … ". */
  snippet: string;
  rank: number;
}

const MAX_WORDS = 32;
const PER_DOCUMENT = 2;
const HEADLINE =
  'StartSel="", StopSel="", MaxWords=40, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';

/** The query's words as a websearch_to_tsquery "a or b or c" string; empty when it has no words. */
export function orQuery(query: string): string {
  const words = (query.normalize("NFC").match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (w) => w.toLowerCase() !== "or",
  );
  return words.slice(0, MAX_WORDS).join(" or ");
}

/** The best passages of the tenant's documents for `query`, best first. */
export async function searchPassages(
  db: Database,
  tenantId: string,
  query: string,
  limit: number,
): Promise<PassageHit[]> {
  const words = orQuery(query);
  if (!words) return [];
  const n = Math.max(1, Math.min(50, Math.trunc(limit) || 1));
  const result = await db.execute<{
    document_id: string;
    title: string;
    snippet: string;
    rank: number | string;
  }>(sql`
    with q as (
      select websearch_to_tsquery('russian', ${words}) || websearch_to_tsquery('english', ${words}) as query
    ),
    hits as (
      select p.document_id, p.text, p.position, ts_rank_cd(p.tsv, q.query) as rank
      from document_passages p, q
      where p.tenant_id = ${tenantId} and p.tsv @@ q.query
    ),
    ranked as (
      select *, row_number() over (partition by document_id order by rank desc, position) as nth from hits
    ),
    top as (
      select * from ranked where nth <= ${PER_DOCUMENT} order by rank desc, document_id, position limit ${n}
    )
    select top.document_id, d.title, top.rank::float8 as rank,
      ts_headline('russian', top.text, q.query, ${HEADLINE}) as snippet
    from top
    join documents d on d.id = top.document_id and d.tenant_id = ${tenantId}
    cross join q
    order by top.rank desc, top.document_id, top.position
  `);
  return result.rows.map((r) => ({
    document_id: r.document_id,
    title: r.title,
    snippet: r.snippet.replace(/\s+/g, " ").trim(),
    rank: Number(r.rank),
  }));
}
