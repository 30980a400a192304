/**
 * A visitor's chat message before it reaches a dialog object: the edge's checks, and which dialog it goes
 * to. A message naming a dialog goes there. One without `dialog_id` continues the visitor's latest web
 * dialog (the original backend's clients never send one), subject to the tenant's conversation policy;
 * `new_dialog: true`, `new_on_reload` or no earlier dialog start a new one (src/chat/continuation.ts).
 *
 * Order of the checks: the per-address message limit and a protected embed's widget token come first,
 * so nothing is looked up for a refused caller; only a dialog that is really started then counts against
 * the new-dialog limit and needs the Turnstile check of a first message.
 */
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { dialogToContinue, mayContinue } from "../chat/continuation.ts";
import type { TenantSettings } from "../db/schema.ts";
import { forgetVisit, latestVisit } from "../durable-objects/visitor-directory.ts";
import type { AppEnv, Bindings } from "../env.ts";
import { AppError } from "../errors.ts";
import type { ChatBody } from "../schemas/chat.ts";
import { enforceChatIpLimits, pinnedLanguage, visitorLanguage } from "../services/budgets/chat-limits.ts";
import type { ChatTurnRequest } from "../services/dialogs/chat.ts";
import { guardSettings, requireTurnstile, requireWidgetToken } from "../services/embed/chat-guard.ts";
import { conversationPolicy } from "../services/embed/embed-protection.ts";
import { clientIp } from "../services/platform/rate-limit.ts";
import { refuseVisitorMessage } from "../services/platform/visitor-gate.ts";
import { chatCaller, firstMessage } from "./chat-caller.ts";

type Body = z.infer<typeof ChatBody>;

/** Where a message goes: `create` when it starts the dialog, `fromDirectory` when the lookup chose it. */
export interface DialogTarget {
  dialogId: string;
  create: boolean;
  fromDirectory: boolean;
}

interface Checked {
  settings: TenantSettings;
  limits: { tenantId: string; ip: string; settings: TenantSettings; language: "ru" | "en" };
}

const newTarget = (): DialogTarget => ({ dialogId: crypto.randomUUID(), create: true, fromDirectory: false });

/** The dialog a message goes to (no Postgres for a warm visitor: see visitor-directory.ts). */
export async function dialogFor(
  env: Bindings,
  tenantId: string,
  body: Pick<Body, "dialog_id" | "new_dialog" | "user_id">,
  settings: TenantSettings,
  now = Date.now(),
): Promise<DialogTarget> {
  if (body.dialog_id !== undefined) return { dialogId: body.dialog_id, create: false, fromDirectory: false };
  const policy = conversationPolicy(settings);
  if (!mayContinue(policy, body.new_dialog === true)) return newTarget();
  const latest = await latestVisit(env, tenantId, body.user_id);
  const dialogId = dialogToContinue(policy, latest, now);
  return dialogId ? { dialogId, create: false, fromDirectory: true } : newTarget();
}

/** The checks of every message: its per-address count, and the widget token when the embed is protected. */
async function checkMessage(c: Context<AppEnv>, tenantId: string, body: Body): Promise<Checked> {
  const settings = await guardSettings(c.env, tenantId);
  const limits = {
    tenantId,
    ip: clientIp(c.req.raw.headers),
    settings,
    // A pinned chat language wins; else the browser's, as the chat page itself chooses (web/shared/i18n.ts).
    language: pinnedLanguage(settings) ?? visitorLanguage(c.req.header("accept-language")),
  };
  // A blocked tenant or an over-long message: refused before anything is counted or called.
  refuseVisitorMessage(settings, body.message, limits.language);
  await enforceChatIpLimits(c.env, { ...limits, newDialog: false });
  if (settings.protectedEmbed)
    await requireWidgetToken(c.env, chatCaller(c, tenantId, body.user_id), settings);
  return { settings, limits };
}

/** The checks of a message that starts a dialog: the new-dialog count and the tenant's Turnstile. */
async function checkNewDialog(c: Context<AppEnv>, tenantId: string, body: Body, checked: Checked) {
  await enforceChatIpLimits(c.env, { ...checked.limits, newDialog: true, message: false });
  const turnstile = checked.settings.turnstile;
  if (turnstile) await requireTurnstile(c.env, tenantId, turnstile, firstMessage(c, body.turnstile_token));
}

function webTurn(c: Context<AppEnv>, tenantId: string, body: Body, target: DialogTarget): ChatTurnRequest {
  const check = firstMessage(c, body.turnstile_token);
  return {
    tenantId,
    channel: "web",
    visitorId: body.user_id,
    message: body.message,
    dialogId: target.dialogId,
    createIfMissing: target.create,
    turnstileToken: check.turnstileToken,
    remoteIp: check.remoteIp,
    server: check.apiKeyId !== undefined,
  };
}

/**
 * Checks a visitor's message, picks its dialog and hands the turn to `run` (the SSE or the JSON form).
 * Should the directory name a dialog its object does not know (one Postgres had from elsewhere), it is
 * forgotten and the message starts a new dialog, checked as one.
 */
export async function visitorTurn<T>(
  c: Context<AppEnv>,
  tenantId: string,
  body: Body,
  run: (turn: ChatTurnRequest) => Promise<T>,
): Promise<T> {
  const checked = await checkMessage(c, tenantId, body);
  const target = await dialogFor(c.env, tenantId, body, checked.settings);
  if (target.create) await checkNewDialog(c, tenantId, body, checked);
  try {
    return await run(webTurn(c, tenantId, body, target));
  } catch (err) {
    if (!target.fromDirectory || !(err instanceof AppError) || err.code !== "not_found") throw err;
    await forgetVisit(c.env, tenantId, body.user_id, target.dialogId);
    await checkNewDialog(c, tenantId, body, checked);
    return run(webTurn(c, tenantId, body, newTarget()));
  }
}
