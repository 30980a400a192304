/**
 * Text of a PDF, extracted in the Worker with unpdf (a serverless build of Mozilla's PDF.js that runs on
 * workerd). Scanned PDFs (images only) give no text; the caller refuses those.
 */
import { extractText, getDocumentProxy, getMeta } from "unpdf";
import { AppError } from "../../../errors.ts";

/** The title from the PDF's metadata (when set) and the text of all pages, pages split by blank lines. */
export async function pdfToText(bytes: Uint8Array): Promise<{ title: string | null; text: string }> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js may detach the buffer it is given, so it gets a copy.
    pdf = await getDocumentProxy(bytes.slice());
  } catch {
    throw new AppError("validation_failed", "This PDF could not be read.", {
      issues: [{ path: "file", message: "The PDF is damaged or encrypted." }],
    });
  }
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    const pages = Array.isArray(text) ? text : [text];
    const meta = await getMeta(pdf).catch(() => null);
    const rawTitle: unknown = meta?.info?.Title;
    const title = typeof rawTitle === "string" && rawTitle.trim() ? rawTitle.trim() : null;
    return { title, text: pages.map((p) => p.trim()).join("\n\n") };
  } finally {
    await pdf.loadingTask.destroy().catch(() => {});
  }
}
