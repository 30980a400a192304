/**
 * The tenant's welcome text: what the chat page shows first and Telegram's /start answers. Part of the
 * draft (`tenants.settings.welcomeText`); visitors see the published one (prompt-state.ts).
 */
import type { Database } from "../../db/client.ts";
import { readTenantSetting, writeTenantSetting } from "../../db/tenant-settings.ts";
import { AppError } from "../../errors.ts";
import { WELCOME_TEXT_MAX } from "../../schemas/limits.ts";

/** The draft's welcome text (null: none, the widget greeting or a default is used). */
export async function getWelcomeText(db: Database, tenantId: string): Promise<string | null> {
  return (await readTenantSetting(db, tenantId, "welcomeText"))?.trim() || null;
}

/** Sets the draft's welcome text (trimmed; empty or null removes it); only this settings key is written. */
export async function setWelcomeText(
  db: Database,
  tenantId: string,
  input: string | null,
): Promise<string | null> {
  const text = input?.trim() || null;
  if (text !== null && [...text].length > WELCOME_TEXT_MAX)
    throw new AppError("validation_failed", `The welcome text is at most ${WELCOME_TEXT_MAX} characters.`);
  if (text?.includes("\u0000"))
    throw new AppError("validation_failed", "The welcome text holds characters that cannot be stored.");
  return (await writeTenantSetting(db, tenantId, "welcomeText", text ?? undefined)) ?? null;
}
