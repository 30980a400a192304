import { argument, type Command, failed, UUID_RE } from "./types.ts";

/** LIST_GALLERIES: the tenant's gallery groups. */
export const listGalleriesCommand: Command = {
  name: "LIST_GALLERIES",
  channels: ["web", "telegram"],
  async run(ctx) {
    const groups = await ctx.knowledge().listGalleries(ctx.tenantId);
    if (groups.length === 0) return { ok: true, text: "No galleries yet.", data: { groups: [] } };
    const lines = groups.map((g) => `- ${g.title} (${g.imageCount} images, id ${g.id})`);
    return { ok: true, text: `Galleries:\n${lines.join("\n")}`, data: { groups } };
  },
};

/** SHOW_GALLERY group_id=...: the group with its image URLs, for the widget to render. */
export const showGalleryCommand: Command = {
  name: "SHOW_GALLERY",
  channels: ["web", "telegram"],
  async run(ctx, block) {
    const id = argument(block, "group_id", "id");
    if (!id || !UUID_RE.test(id)) return failed("SHOW_GALLERY needs group_id= with a gallery id.");
    const gallery = await ctx.knowledge().getGallery(ctx.tenantId, id);
    if (!gallery) return failed("No such gallery.");
    const lines = gallery.images.map((img) => `- ${img.caption ?? img.name}: ${img.url}`);
    const text =
      gallery.images.length === 0
        ? `${gallery.title}: no images yet.`
        : `${gallery.title}:\n${lines.join("\n")}`;
    return { ok: true, text, data: { gallery } };
  },
};
