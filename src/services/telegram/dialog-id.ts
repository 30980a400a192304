/** One dialog per (tenant, Telegram chat): its id is derived, so every update of a chat finds it. */

/**
 * A stable UUID (RFC 9562 version 8, "custom") from SHA-256 of the tenant id and the chat id. The same
 * chat under another tenant gets another dialog.
 */
export async function telegramDialogId(tenantId: string, chatId: number | string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`cip:telegram-dialog:${tenantId}:${chatId}`),
  );
  const b = new Uint8Array(digest).slice(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x80;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
