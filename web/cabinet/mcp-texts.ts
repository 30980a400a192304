/** Cabinet texts of the MCP servers section (docs/mcp.md), in the page's locale. */
import { dictionary } from "../shared/i18n.ts";

const en = {
  mcpIntro:
    "Attach MCP servers (Streamable HTTP, https) and the visitor bot can call their tools. Switch off the tools it should not use. Header values (tokens) are stored encrypted and never shown again.",
  mcpNone: "No MCP servers yet.",
  mcpAdd: "Attach an MCP server",
  mcpName: "Name",
  mcpNameHint: "1–32 of a–z, 0–9, _ and -; the bot writes it as server=<name>.",
  mcpNameBad: "Use 1–32 characters: a–z, 0–9, _ and -.",
  mcpUrl: "Server URL",
  mcpHeaders: "Headers (optional)",
  mcpHeadersHint: "One per line, Name: value — e.g. Authorization: Bearer …",
  mcpHeadersBad: "Write each header as Name: value on its own line.",
  mcpAdded: "Server attached.",
  mcpEnabled: "Enabled",
  mcpAdminChat: "The setup chat may call its tools",
  mcpRefresh: "Refresh tools",
  mcpRefreshed: "Tools listed again.",
  mcpSaved: "Saved.",
  mcpLastError: "Last error: {error}",
  mcpListedAt: "Tools listed {when}",
  mcpHeaderNames: "Headers set: {names}",
  mcpNoTools: "The server lists no tools (yet).",
  mcpTool: "Tool",
  mcpToolOn: "On",
  mcpDescription: "Description",
  mcpSchema: "Input schema",
};

const ru: Record<keyof typeof en, string> = {
  mcpIntro:
    "Подключите MCP-серверы (Streamable HTTP, https) — и бот для посетителей сможет вызывать их инструменты. Выключите те, которыми ему пользоваться не нужно. Значения заголовков (токены) хранятся зашифрованными и больше не показываются.",
  mcpNone: "MCP-серверов пока нет.",
  mcpAdd: "Подключить MCP-сервер",
  mcpName: "Имя",
  mcpNameHint: "1–32 символа из a–z, 0–9, _ и -; бот пишет его как server=<имя>.",
  mcpNameBad: "Используйте 1–32 символа: a–z, 0–9, _ и -.",
  mcpUrl: "Адрес сервера",
  mcpHeaders: "Заголовки (необязательно)",
  mcpHeadersHint: "По одному в строке, Имя: значение — например, Authorization: Bearer …",
  mcpHeadersBad: "Пишите каждый заголовок отдельной строкой: Имя: значение.",
  mcpAdded: "Сервер подключён.",
  mcpEnabled: "Включён",
  mcpAdminChat: "Чат настройки может вызывать его инструменты",
  mcpRefresh: "Обновить инструменты",
  mcpRefreshed: "Список инструментов обновлён.",
  mcpSaved: "Сохранено.",
  mcpLastError: "Последняя ошибка: {error}",
  mcpListedAt: "Инструменты получены {when}",
  mcpHeaderNames: "Заданы заголовки: {names}",
  mcpNoTools: "Сервер (пока) не сообщает ни одного инструмента.",
  mcpTool: "Инструмент",
  mcpToolOn: "Вкл.",
  mcpDescription: "Описание",
  mcpSchema: "Схема аргументов",
};

/** An MCP text of the cabinet in the page's locale. */
export const mt = dictionary(en, ru);
