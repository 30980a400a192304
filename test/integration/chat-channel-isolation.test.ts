/**
 * Web chat routes serve web dialogs only (issue 16): a Telegram conversation's id and chat id are guessable,
 * so its answers must not be readable or stoppable through the web API.
 */
import { describe, expect, it } from "vitest";
import { telegramDialogId } from "../../src/services/telegram/dialog-id.ts";
import { seedOwner } from "../helpers/accounts.ts";
import { call, callJson } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { chatId, connectBot, deliver, pause, textUpdate, waitForCalls } from "../helpers/telegram.ts";

describe("a Telegram dialog through the web chat routes", () => {
  it("cannot be resumed or stopped, even with the right dialog id and chat id", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const chat = chatId();
    const tag = await script({
      reply: "A slow answer that must reach Telegram whole.",
      chunkSize: 4,
      delayMs: 60,
    });
    await deliver(owner.tenantId, bot.secret, textUpdate(chat, `Hello ${tag}`));
    const dialogId = await telegramDialogId(owner.tenantId, chat);
    await pause(300);
    const base = `/api/v1/tenants/${owner.tenantId}/chat/${dialogId}`;
    const resumed = await call(`${base}/stream?user_id=${chat}`);
    expect(resumed.status).toBe(404);
    await resumed.body?.cancel();
    const stop = await callJson("POST", `${base}/stop`, { user_id: String(chat) });
    expect(await stop.json()).toEqual({ stopped: false });
    const [sent] = await waitForCalls(bot.token, "sendMessage", 1);
    expect(sent?.params.text).toBe("A slow answer that must reach Telegram whole.");
  });
});
