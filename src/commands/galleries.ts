import { cleanId } from "./chunk-grammar.ts";
import { say } from "./texts.ts";
import { argument, type Command, failed, UUID_RE } from "./types.ts";

/** LIST_GALLERIES: the tenant's gallery groups, by title; their ids go to the model's note only. */
export const listGalleriesCommand: Command = {
  name: "LIST_GALLERIES",
  channels: ["web", "telegram"],
  async run(ctx) {
    const groups = await ctx.knowledge().listGalleries(ctx.tenantId);
    if (groups.length === 0) return { ok: true, text: say(ctx.locale, "noGalleries"), data: { groups: [] } };
    const lines = groups.map((g) => say(ctx.locale, "galleryLine", { title: g.title, count: g.imageCount }));
    return {
      ok: true,
      text: `${say(ctx.locale, "galleries")}\n${lines.join("\n")}`,
      data: { groups },
      note: `LIST_GALLERIES: ${groups.map((g) => `"${g.title}" group_id=${g.id}`).join("; ")}`,
    };
  },
};

/** SHOW_GALLERY group_id=...: the group with its image URLs in `data`, for the widget and Telegram. */
export const showGalleryCommand: Command = {
  name: "SHOW_GALLERY",
  channels: ["web", "telegram"],
  async run(ctx, block) {
    const id = cleanId(argument(block, "group_id", "id"));
    if (!id || !UUID_RE.test(id)) return failed(say(ctx.locale, "needsGallery"));
    const gallery = await ctx.knowledge().getGallery(ctx.tenantId, id);
    if (!gallery) return failed(say(ctx.locale, "noSuchGallery"));
    // Both channels show the images themselves (the widget from the command event, Telegram as an album).
    const count = gallery.images.length;
    const text =
      count === 0
        ? say(ctx.locale, "galleryEmpty", { title: gallery.title })
        : say(ctx.locale, "galleryShown", { title: gallery.title, count });
    return {
      ok: true,
      text,
      data: { gallery },
      note: `SHOW_GALLERY: "${gallery.title}" group_id=${gallery.id}`,
    };
  },
};
