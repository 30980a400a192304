/**
 * Opening the owner's setup chat: a new admin dialog whose first message is the bot's opening question,
 * written by the dialog's Durable Object (chat/admin-greeting.ts explains the choice of a fixed text).
 */
import type { SetupChatOpen } from "../../chat/admin-greeting.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";

/** The new dialog and its first (assistant) message. */
export interface SetupChatStart {
  dialogId: string;
  messageId: string;
  text: string;
  createdAt: string;
}

/** Opens a new setup chat for the owner `userId`; the greeting is in `locale` (absent: the tenant's). */
export async function openSetupChat(
  env: Pick<Bindings, "DIALOGS">,
  req: Omit<SetupChatOpen, "dialogId" | "visitorId">,
): Promise<SetupChatStart> {
  const dialogId = crypto.randomUUID();
  const input: SetupChatOpen = { ...req, visitorId: req.userId, dialogId };
  const opened = await env.DIALOGS.getByName(dialogId).openSetupChat(input);
  if (!opened.ok) throw new AppError(opened.code, opened.message);
  return {
    dialogId: opened.dialogId,
    messageId: opened.messageId,
    text: opened.text,
    createdAt: new Date(opened.createdAt).toISOString(),
  };
}
