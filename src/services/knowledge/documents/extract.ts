/** Turns an uploaded document (text, markdown, HTML or PDF by its bytes) into a title and plain text. */
import { AppError } from "../../../errors.ts";
import { htmlToText, markdownToText, tidy } from "./html.ts";
import { pdfToText } from "./pdf.ts";

export interface Extracted {
  /** A title found in the document itself, if any. */
  title: string | null;
  text: string;
}

/** Extracts the text of a document of a sniffed `contentType`; 422 when there is no text in it. */
export async function extractDocument(bytes: Uint8Array, contentType: string): Promise<Extracted> {
  let result: Extracted;
  if (contentType === "application/pdf") result = await pdfToText(bytes);
  else {
    const source = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
    if (contentType === "text/html") result = htmlToText(source);
    else if (contentType === "text/markdown") result = markdownToText(source);
    else result = { title: null, text: tidy(source) };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and friends cannot be stored in Postgres text
  const text = result.text.replace(/[\u0000-\u0008\u000b\u000e-\u001f]/g, "");
  if (!text.trim()) {
    throw new AppError("validation_failed", "The document has no text to index.", {
      issues: [{ path: "file", message: "No text found (a scanned PDF needs OCR first)." }],
    });
  }
  return { title: result.title, text };
}

/** The document title: the one asked for, else the document's own, else the file name without extension. */
export function documentTitle(asked: string | undefined, found: string | null, fileName: string): string {
  const base = fileName.replace(/\.[^.]{1,10}$/, "") || fileName;
  return (asked?.trim() || found?.trim() || base).slice(0, 200);
}
