/**
 * Set-up for the day profile (docs/load.md "Day profile"): the fake model's answer scripts and the tenants,
 * signed up, confirmed and given a prompt chunk through CIP's API.
 */
import { apiOk, createOwner, mailDevText, type Owner } from "./api-accounts.ts";

/** Answers of different lengths and chunkings, chosen per turn: the stored text must match each exactly. */
export const DAY_SCRIPTS: Record<string, { reply: string; chunkSize: number | "random" }> = {
  "day-short": { reply: "Да, доставляем по всей стране.", chunkSize: 4 },
  "day-mid": {
    reply: "Заказ «№ 12» собран и передан курьеру.\nОбычно это 2–3 дня — трек придёт на e-mail. ✓",
    chunkSize: "random",
  },
  "day-long": {
    reply:
      "Вот что можно сделать:\n\n1. Оформить возврат в течение 14 дней.\n2. Обменять товар на другой размер.\n" +
      "3. Получить деньги на карту (обычно до 5 рабочих дней).\n\nЕсли нужно, оператор ответит в рабочее время.",
    chunkSize: 4,
  },
};

export interface DayTenant extends Owner {
  rank: number;
}

/** Registers the reply scripts with the fake model. */
export async function registerDayScripts(modelUrl: string, delayMs: number): Promise<void> {
  for (const [id, s] of Object.entries(DAY_SCRIPTS)) {
    const res = await fetch(`${modelUrl}/__scripts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id, script: { reply: s.reply, chunkSize: s.chunkSize, delayMs } }),
    });
    if (!res.ok) throw new Error(`registering the model script ${id}: ${res.status}`);
  }
}

/** Signs the tenants up (each from an address of its own: sign-ups are limited per address), 5 at a time. */
export async function setupTenants(baseUrl: string, mailApi: string, count: number): Promise<DayTenant[]> {
  const out: DayTenant[] = [];
  for (let i = 0; i < count; i += 5) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(5, count - i) }, async (_, k) => {
        const rank = i + k;
        const ip = `10.250.${rank}.1`;
        const owner = await createOwner(baseUrl, `day${rank + 1}`, (a) => mailDevText(mailApi, a), ip);
        await apiOk(
          baseUrl,
          `/tenants/${owner.tenantId}/me/prompt/chunks`,
          {
            token: owner.token,
            ip,
            body: { question: "Доставка", text: "Доставляем по всей стране за 2-3 дня, возврат 14 дней." },
          },
          201,
        );
        return { ...owner, rank };
      }),
    );
    out.push(...batch);
  }
  return out;
}
