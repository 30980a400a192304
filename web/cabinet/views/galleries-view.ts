/** Galleries: create, rename, delete; images uploaded with progress (PNG/JPEG/GIF/WEBP), captioned, deleted. */
import type { SchemaGallery } from "../../shared/api-types.gen.ts";
import { h, replace, uid } from "../../shared/dom.ts";
import { createForm } from "../../shared/forms.ts";
import { galleryImageSrc } from "../../shared/tenant.ts";
import type { CabinetContext, View } from "../context.ts";
import { ct } from "../texts.ts";
import { confirmDelete, statusLine } from "../ui.ts";
import { uploader, uploadFile } from "../upload.ts";

type Gallery = SchemaGallery;

function galleryCard(ctx: CabinetContext, g: Gallery, reload: () => Promise<void>): HTMLElement {
  const status = statusLine();
  const src = galleryImageSrc(ctx.tenant.id);
  const run = (action: () => Promise<unknown>) => action().then(reload, status.error);
  const edit = createForm({
    fields: [
      {
        name: "title",
        label: ct("title"),
        required: true,
        maxlength: 200,
        value: g.title,
        validate: (v) => (v.trim() ? null : ct("empty")),
      },
      { name: "description", label: ct("description"), rows: 2, maxlength: 2000, value: g.description ?? "" },
    ],
    submit: ct("save"),
    onSubmit: async (v) => {
      await ctx.call(`/me/galleries/${g.id}`, {
        method: "PATCH",
        body: { title: v.title?.trim(), description: v.description?.trim() || null },
      });
      edit.setStatus(ct("saved_ok"), "ok");
    },
  });
  const captionId = uid("caption");
  const caption = h("input", { id: captionId, maxlength: 500 });
  const images = h(
    "ul",
    { class: "gallery-grid" },
    g.images.map((img) => {
      const url = src(img.url);
      return h(
        "li",
        { class: "thumb-card" },
        url ? h("img", { src: url, alt: img.caption ?? img.name, loading: "lazy" }) : null,
        h("p", { class: "small" }, img.caption ?? img.name),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small btn-danger",
            onclick: () => {
              if (confirmDelete(img.name))
                void run(() => ctx.call(`/me/galleries/${g.id}/images/${img.id}`, { method: "DELETE" }));
            },
          },
          ct("delete"),
        ),
      );
    }),
  );
  const upload = uploader({
    label: ct("uploadImages"),
    accept: "image/png,image/jpeg,image/gif,image/webp",
    multiple: true,
    send: (file, progress) =>
      uploadFile(`/tenants/${ctx.tenant.id}/me/galleries/${g.id}/images`, file, ctx.token(), progress, {
        caption: caption.value.trim() || undefined,
      }),
    onDone: reload,
    onError: status.error,
  });
  const remove = h("button", { type: "button", class: "btn btn-danger btn-small" }, ct("deleteGallery"));
  remove.addEventListener("click", () => {
    if (confirmDelete(g.title)) void run(() => ctx.call(`/me/galleries/${g.id}`, { method: "DELETE" }));
  });
  return h(
    "section",
    { class: "card gallery-card", "aria-label": g.title },
    h("h3", null, g.title, h("span", { class: "muted small" }, ` · ${ct("images", { n: g.image_count })}`)),
    images,
    h("div", { class: "field" }, h("label", { for: captionId }, ct("caption")), caption),
    upload,
    edit.el,
    h("div", { class: "actions" }, remove),
    status.el,
  );
}

/** `/my/galleries`. */
export const galleriesView: View = async (ctx, main) => {
  const list = h("div", { class: "galleries" });
  const reload = async () => {
    const { items } = await ctx.call<{ items: Gallery[] }>("/me/galleries");
    replace(
      list,
      items.length ? items.map((g) => galleryCard(ctx, g, reload)) : h("p", { class: "muted" }, ct("empty")),
    );
  };
  const create = createForm({
    fields: [
      {
        name: "title",
        label: ct("title"),
        required: true,
        maxlength: 200,
        validate: (v) => (v.trim() ? null : ct("empty")),
      },
      { name: "description", label: ct("description"), rows: 2, maxlength: 2000 },
    ],
    submit: ct("newGallery"),
    onSubmit: async (v) => {
      const description = v.description?.trim();
      await ctx.call("/me/galleries", {
        body: { title: v.title?.trim(), ...(description ? { description } : {}) },
      });
      create.reset();
      await reload();
    },
  });
  await reload();
  replace(main, list, h("section", { class: "card" }, h("h3", null, ct("newGallery")), create.el));
};
