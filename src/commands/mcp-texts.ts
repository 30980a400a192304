/** What the MCP command says, in the tenant's language (kept apart from texts.ts: one feature, one file). */
import type { Locale } from "./texts.ts";

const TEXTS = {
  mcpNeedsTool: {
    ru: "⚠️ MCP: укажите server=<сервер> и tool=<инструмент>.",
    en: "⚠️ MCP: name server=<server> and tool=<tool>.",
  },
  mcpNoSuchTool: {
    ru: "⚠️ MCP: инструмента «{tool}» на сервере «{server}» нет или он выключен.",
    en: "⚠️ MCP: there is no tool “{tool}” on server “{server}”, or it is switched off.",
  },
  mcpMissingArgument: {
    ru: "⚠️ MCP {tool}: не хватает аргумента «{name}».",
    en: "⚠️ MCP {tool}: the argument “{name}” is missing.",
  },
  mcpBadArgument: {
    ru: "⚠️ MCP {tool}: аргумент «{name}» неверного типа.",
    en: "⚠️ MCP {tool}: the argument “{name}” has the wrong type.",
  },
  mcpTimeout: {
    ru: "⚠️ MCP {tool}: сервис «{server}» не ответил вовремя, попробуйте позже.",
    en: "⚠️ MCP {tool}: the service “{server}” did not answer in time; try again later.",
  },
  mcpUnavailable: {
    ru: "⚠️ MCP {tool}: сервис «{server}» сейчас недоступен.",
    en: "⚠️ MCP {tool}: the service “{server}” is not available right now.",
  },
  mcpToolError: {
    ru: "⚠️ MCP {tool}: сервис «{server}» сообщил об ошибке: {detail}",
    en: "⚠️ MCP {tool}: the service “{server}” reported an error: {detail}",
  },
  mcpNotInSetupChat: {
    ru: "⚠️ MCP: инструменты сервера «{server}» в чате настройки выключены (их можно разрешить в кабинете).",
    en: "⚠️ MCP: the setup chat may not call the tools of “{server}” (the owner can allow it in the cabinet).",
  },
  mcpTruncated: { ru: "… (ответ сокращён)", en: "… (result shortened)" },
} as const;

export type McpTextKey = keyof typeof TEXTS;

/** The text for `key` in `locale`, `{name}` placeholders filled. */
export function sayMcp(locale: Locale, key: McpTextKey, vars: Record<string, string | number> = {}): string {
  return TEXTS[key][locale].replace(/\{(\w+)\}/g, (all, name: string) =>
    vars[name] === undefined ? all : String(vars[name]),
  );
}
