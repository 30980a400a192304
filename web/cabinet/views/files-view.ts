/** Files: upload with progress, list, download (an authorized fetch saved as a blob) and delete. */

import { apiUrl } from "../../shared/api.ts";
import type { SchemaFile } from "../../shared/api-types.gen.ts";
import { formatBytes, formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, PageOf, View } from "../context.ts";
import { ct } from "../texts.ts";
import { confirmDelete, loadMore, statusLine, table } from "../ui.ts";
import { uploader, uploadFile } from "../upload.ts";

type StoredFile = SchemaFile;

/** Downloads an authorized API resource as a file named `name`. */
export async function download(ctx: CabinetContext, path: string, name: string): Promise<void> {
  const res = await fetch(apiUrl(`/tenants/${ctx.tenant.id}${path}`), {
    headers: { authorization: `Bearer ${ctx.token()}` },
  });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const url = URL.createObjectURL(await res.blob());
  const a = h("a", { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `/my/files`. */
export const filesView: View = async (ctx, main) => {
  const status = statusLine();
  const holder = h("div");
  let items: StoredFile[] = [];
  let cursor: string | null = null;
  const draw = () =>
    replace(
      holder,
      items.length === 0
        ? h("p", { class: "muted" }, ct("empty"))
        : table(
            ct("files"),
            [ct("name"), ct("type"), ct("size"), ct("created"), ""],
            items.map((f) => [
              f.name,
              f.content_type,
              formatBytes(f.size),
              formatDate(f.created_at, getLocale()),
              h(
                "div",
                { class: "actions" },
                h(
                  "button",
                  {
                    type: "button",
                    class: "btn btn-small btn-ghost",
                    onclick: () => void download(ctx, `/me/files/${f.id}`, f.name).catch(status.error),
                  },
                  ct("download"),
                ),
                h(
                  "button",
                  {
                    type: "button",
                    class: "btn btn-small btn-danger",
                    onclick: async () => {
                      if (!confirmDelete(f.name)) return;
                      try {
                        await ctx.call(`/me/files/${f.id}`, { method: "DELETE" });
                        items = items.filter((x) => x.id !== f.id);
                        draw();
                      } catch (err) {
                        status.error(err);
                      }
                    },
                  },
                  ct("delete"),
                ),
              ),
            ]),
          ),
    );
  const fetchPage = async () => {
    const page = await ctx.call<PageOf<StoredFile>>("/me/files", { query: { limit: 50, cursor } });
    items.push(...page.items);
    cursor = page.next_cursor;
    draw();
    return cursor !== null;
  };
  const more = loadMore(fetchPage);
  const reload = async () => {
    items = [];
    cursor = null;
    more.hidden = !(await fetchPage());
  };
  const upload = uploader({
    label: ct("uploadFile"),
    multiple: true,
    send: (file, progress) => uploadFile(`/tenants/${ctx.tenant.id}/me/files`, file, ctx.token(), progress),
    onDone: () => reload().catch(status.error),
    onError: status.error,
  });
  await reload();
  replace(main, upload, status.el, holder, more);
};
