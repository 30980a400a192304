/**
 * MCP servers (owner, docs/mcp.md): each attached server with its switches (enabled, setup chat), its
 * tools with descriptions, input schemas and a switch each, the last error, refresh and delete; the
 * form to attach one (name, URL, headers as `Name: value` lines — values are never shown again).
 */
import { formatDate, h, replace } from "../../shared/dom.ts";
import { createForm } from "../../shared/forms.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, View } from "../context.ts";
import { mt } from "../mcp-texts.ts";
import { ct } from "../texts.ts";
import { confirmDelete, statusLine, table } from "../ui.ts";

interface Tool {
  name: string;
  description: string;
  enabled: boolean;
  input_schema: Record<string, unknown>;
}

interface Server {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  admin_chat: boolean;
  header_names: string[];
  tools: Tool[];
  last_error: string | null;
  listed_at: string | null;
}

const NAME = /^[a-z0-9_-]{1,32}$/;

/** `Name: value` lines as a headers object, or null when a line is not one. */
function parseHeaders(text: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function checkbox(
  label: string,
  checked: boolean,
  attrs: Record<string, string>,
  onChange: (on: boolean) => Promise<void>,
) {
  const box = h("input", { type: "checkbox", ...attrs, "aria-label": label });
  box.checked = checked;
  box.addEventListener("change", async () => {
    box.disabled = true;
    try {
      await onChange(box.checked);
    } catch {
      box.checked = !box.checked;
    } finally {
      box.disabled = false;
    }
  });
  return box;
}

/** `/my/mcp`. */
export const mcpView: View = async (ctx: CabinetContext, main) => {
  const status = statusLine();
  const list = h("div");

  const patch = async (server: Server, body: Record<string, unknown>) => {
    try {
      await ctx.call<Server>(`/me/mcp-servers/${server.id}`, { method: "PATCH", body });
      status.ok(mt("mcpSaved"));
    } catch (err) {
      status.error(err);
      throw err;
    }
  };

  const card = (server: Server): HTMLElement => {
    const refresh = h(
      "button",
      { type: "button", class: "btn btn-small", "data-action": "refresh" },
      mt("mcpRefresh"),
    );
    const del = h(
      "button",
      { type: "button", class: "btn btn-small btn-danger", "data-action": "delete" },
      ct("delete"),
    );
    refresh.addEventListener("click", async () => {
      refresh.disabled = true;
      try {
        const fresh = await ctx.call<Server>(`/me/mcp-servers/${server.id}/refresh`, { method: "POST" });
        if (fresh.last_error) status.error(mt("mcpLastError", { error: fresh.last_error ?? "" }));
        else status.ok(mt("mcpRefreshed"));
        await reload();
      } catch (err) {
        status.error(err);
      } finally {
        refresh.disabled = false;
      }
    });
    del.addEventListener("click", async () => {
      if (!confirmDelete(server.name)) return;
      try {
        await ctx.call(`/me/mcp-servers/${server.id}`, { method: "DELETE" });
        await reload();
        status.ok(ct("deleted"));
      } catch (err) {
        status.error(err);
      }
    });
    const tools =
      server.tools.length === 0
        ? h("p", { class: "muted" }, mt("mcpNoTools"))
        : table(
            server.name,
            [mt("mcpToolOn"), mt("mcpTool"), mt("mcpDescription"), mt("mcpSchema")],
            server.tools.map((tool) => [
              checkbox(`${tool.name}: ${mt("mcpToolOn")}`, tool.enabled, { "data-tool": tool.name }, (on) =>
                patch(server, { tools: { [tool.name]: on } }),
              ),
              h("code", null, tool.name),
              tool.description,
              h(
                "details",
                null,
                h("summary", null, mt("mcpSchema")),
                h("pre", { class: "schema" }, JSON.stringify(tool.input_schema, null, 2)),
              ),
            ]),
          );
    return h(
      "section",
      { class: "card", "data-mcp-server": server.name },
      h("h3", null, server.name, " ", h("code", { class: "muted" }, server.url)),
      h(
        "div",
        { class: "field field-check" },
        checkbox(mt("mcpEnabled"), server.enabled, { "data-switch": "enabled" }, (on) =>
          patch(server, { enabled: on }),
        ),
        h("span", null, mt("mcpEnabled")),
      ),
      h(
        "div",
        { class: "field field-check" },
        checkbox(mt("mcpAdminChat"), server.admin_chat, { "data-switch": "admin_chat" }, (on) =>
          patch(server, { admin_chat: on }),
        ),
        h("span", null, mt("mcpAdminChat")),
      ),
      server.header_names.length
        ? h("p", { class: "muted" }, mt("mcpHeaderNames", { names: server.header_names.join(", ") }))
        : null,
      server.last_error
        ? h(
            "p",
            { class: "health-bad", "data-last-error": "" },
            mt("mcpLastError", { error: server.last_error }),
          )
        : null,
      server.listed_at
        ? h("p", { class: "muted" }, mt("mcpListedAt", { when: formatDate(server.listed_at, getLocale()) }))
        : null,
      tools,
      h("div", { class: "actions" }, refresh, del),
    );
  };

  const reload = async () => {
    const { items } = await ctx.call<{ items: Server[] }>("/me/mcp-servers");
    if (items.length === 0)
      return replace(list, h("p", { class: "muted", "data-empty": "mcp" }, mt("mcpNone")));
    replace(list, items.map(card));
  };

  const form = createForm({
    className: "form card",
    submit: mt("mcpAdd"),
    fields: [
      {
        name: "name",
        label: mt("mcpName"),
        hint: mt("mcpNameHint"),
        required: true,
        maxlength: 32,
        validate: (v) => (NAME.test(v.trim()) ? null : mt("mcpNameBad")),
      },
      { name: "url", label: mt("mcpUrl"), type: "url", required: true, maxlength: 2000 },
      {
        name: "headers",
        label: mt("mcpHeaders"),
        hint: mt("mcpHeadersHint"),
        rows: 3,
        validate: (v) => (parseHeaders(v) ? null : mt("mcpHeadersBad")),
      },
    ],
    onSubmit: async (values) => {
      const headers = parseHeaders(values.headers ?? "") ?? {};
      const created = await ctx.call<Server>("/me/mcp-servers", {
        method: "POST",
        body: {
          name: (values.name ?? "").trim(),
          url: (values.url ?? "").trim(),
          ...(Object.keys(headers).length ? { headers } : {}),
        },
      });
      form.reset();
      if (created.last_error) status.error(mt("mcpLastError", { error: created.last_error ?? "" }));
      else status.ok(mt("mcpAdded"));
      await reload();
    },
  });
  form.el.setAttribute("data-form", "mcp");

  replace(
    main,
    h("p", { class: "muted" }, mt("mcpIntro")),
    status.el,
    list,
    h("h3", null, mt("mcpAdd")),
    form.el,
  );
  await reload();
};
