/**
 * The owner's first-hour checklist. Each step is read from the tenant's own data in one statement (one
 * round trip), never from clicks, so a step done elsewhere (the API, Telegram, a teammate) ticks too:
 * - teach: a prompt chunk exists and at least one chunk revision was written (the setup chat or the
 *   prompt editor; chunks a migration or import put in without a person do not count);
 * - publish: a published version holds a chunk (visitors get only published prompts: docs/cabinet.md
 *   "Draft and publish");
 * - try_chat: a web conversation has a complete assistant answer;
 * - embed: allowed origins are listed, or the embed page was served for a site on another origin
 *   (`settings.embedSeen`, recorded once by routes/pages.ts);
 * - telegram: a bot is connected;
 * - invite: the tenant has a second account (a teammate registered, confirmed or not yet).
 * Only `dismissed` is stored (`settings.onboarding.dismissed`).
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { writeTenantSetting } from "../../db/tenant-settings.ts";
import { AppError } from "../../errors.ts";
import { ONBOARDING_STEPS, type OnboardingStepId } from "../../schemas/onboarding.ts";

/** What `GET .../me/onboarding` answers. */
export interface Onboarding {
  steps: Array<{ id: OnboardingStepId; done: boolean }>;
  dismissed: boolean;
  complete: boolean;
}

interface StateRow extends Record<string, unknown> {
  dismissed: boolean | null;
  teach: boolean;
  publish: boolean;
  try_chat: boolean;
  embed: boolean;
  telegram: boolean;
  invite: boolean;
}

/** The checklist of `tenantId`; throws `tenant_not_found` when there is no such tenant. */
export async function getOnboarding(db: Database, tenantId: string): Promise<Onboarding> {
  const result = await db.execute<StateRow>(sql`
    select
      coalesce((t.settings #>> '{onboarding,dismissed}')::boolean, false) as dismissed,
      (exists (select 1 from prompt_chunks c where c.tenant_id = t.id)
        and exists (select 1 from prompt_chunk_revisions r where r.tenant_id = t.id)) as teach,
      exists (select 1 from prompt_releases p where p.tenant_id = t.id
        and jsonb_array_length(p.chunks) > 0) as publish,
      exists (
        select 1 from messages m join dialogs d on d.id = m.dialog_id and d.tenant_id = m.tenant_id
        where m.tenant_id = t.id and d.channel = 'web' and m.role = 'assistant' and m.status = 'complete'
      ) as try_chat,
      (jsonb_array_length(coalesce(t.settings -> 'allowedOrigins', '[]'::jsonb)) > 0
        or t.settings -> 'embedSeen' is not null) as embed,
      exists (select 1 from telegram_bots b where b.tenant_id = t.id) as telegram,
      ((select count(*) from (select 1 from users u where u.tenant_id = t.id limit 2) two) >= 2) as invite
    from tenants t
    where t.id = ${tenantId}
  `);
  const row = result.rows[0];
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  const steps = ONBOARDING_STEPS.map((id) => ({ id, done: row[id] === true }));
  return { steps, dismissed: row.dismissed === true, complete: steps.every((s) => s.done) };
}

/** Hides or shows the checklist again; answers the checklist as it is now. */
export async function setOnboardingDismissed(
  db: Database,
  tenantId: string,
  dismissed: boolean,
): Promise<Onboarding> {
  await writeTenantSetting(db, tenantId, "onboarding", { dismissed });
  return getOnboarding(db, tenantId);
}
