/**
 * The review of a document's text (docs/cabinet.md "Documents"): the extracted (or last saved) text in
 * a textarea, "Save and index" (the corrected text is indexed; an indexed document is re-indexed) and,
 * for a draft, "Index as is". The original upload stays downloadable.
 */
import { h, replace } from "../../shared/dom.ts";
import type { CabinetContext } from "../context.ts";
import { ct } from "../texts.ts";
import { download } from "./files-view.ts";

/** A document as the list shows it. */
export interface Doc {
  id: string;
  title: string;
  source_name: string;
  content_type: string;
  size: number;
  status: "draft" | "ready";
  has_original: boolean;
  text_edited_at: string | null;
  passage_count: number;
  created_at: string;
}

interface DocText {
  id: string;
  status: "draft" | "ready";
  text: string;
  max_length: number;
}

/**
 * Loads `doc`'s text into `box` for editing; `onSaved` gets the document once it is indexed, so the
 * list can show its new state. Errors go to `fail`.
 */
export async function openReview(
  ctx: CabinetContext,
  box: HTMLElement,
  doc: Doc,
  onSaved: (doc: Doc) => void,
  fail: (err: unknown) => void,
): Promise<void> {
  const current = await ctx.call<DocText>(`/me/documents/${doc.id}/text`).catch(fail);
  if (!current) return;
  const id = `doc-text-${doc.id}`;
  const area = h("textarea", { id, rows: 18, class: "doc-text", maxlength: current.max_length });
  area.value = current.text;
  const note = h("p", { class: "small muted", id: `${id}-note` });
  const tooLong = () => [...area.value].length > current.max_length;
  const check = () => {
    note.textContent = tooLong() ? ct("docTextTooLong", { max: current.max_length }) : "";
    save.disabled = tooLong() || !area.value.trim();
  };
  const done = (saved: Doc | undefined) => {
    if (!saved) return;
    replace(
      box,
      h("p", { class: "form-status ok", role: "status" }, ct("docIndexed", { title: saved.title })),
    );
    onSaved(saved);
  };
  const save = h("button", { type: "button", class: "btn" }, ct("docSaveIndex"));
  save.addEventListener("click", async () => {
    save.disabled = true;
    const saved = await ctx
      .call<Doc>(`/me/documents/${doc.id}/text`, { method: "PUT", body: { text: area.value } })
      .catch(fail);
    save.disabled = false;
    done(saved ?? undefined);
  });
  const actions: HTMLElement[] = [save];
  if (current.status === "draft") {
    const asIs = h("button", { type: "button", class: "btn btn-ghost" }, ct("docIndexAsIs"));
    asIs.addEventListener("click", async () => {
      asIs.disabled = true;
      const saved = await ctx.call<Doc>(`/me/documents/${doc.id}/publish`, { method: "POST" }).catch(fail);
      asIs.disabled = false;
      done(saved ?? undefined);
    });
    actions.push(asIs);
  }
  if (doc.has_original) {
    const original = h("button", { type: "button", class: "btn btn-ghost btn-small" }, ct("docOriginal"));
    original.addEventListener("click", () => {
      void download(ctx, `/me/documents/${doc.id}/original`, doc.source_name).catch(fail);
    });
    actions.push(original);
  }
  area.addEventListener("input", check);
  check();
  replace(
    box,
    h("h3", null, doc.title),
    h("p", { class: "small" }, current.status === "draft" ? ct("docDraftHint") : ct("docEditHint")),
    h("div", { class: "field" }, h("label", { for: id }, ct("docText")), area, note),
    h("div", { class: "actions" }, ...actions),
  );
  area.focus();
}
