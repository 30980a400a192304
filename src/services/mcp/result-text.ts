/**
 * A tool result as text for the answer: its text parts joined, other parts named, structured content as
 * JSON when there is no text; at most {@link MCP_RESULT_MAX_BYTES} bytes of UTF-8 (cut at a character).
 * The text is untrusted: the caller puts it in the answer as a command result, never as instructions.
 */

/** The most of a tool's output that goes into the answer. */
export const MCP_RESULT_MAX_BYTES = 8 * 1024;

interface ResultLike {
  content?: unknown;
  structuredContent?: unknown;
}

/** The result's readable text and whether it was cut. */
export function resultText(result: ResultLike): { text: string; truncated: boolean } {
  const parts: string[] = [];
  const content = Array.isArray(result.content) ? result.content : [];
  for (const item of content) {
    const part = item as { type?: unknown; text?: unknown; resource?: { uri?: unknown; text?: unknown } };
    if (part.type === "text" && typeof part.text === "string") parts.push(part.text);
    else if (part.type === "resource" && typeof part.resource?.text === "string")
      parts.push(part.resource.text);
    else if (part.type === "resource_link" || part.type === "resource") parts.push("[resource]");
    else if (part.type === "image") parts.push("[image]");
    else if (part.type === "audio") parts.push("[audio]");
  }
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent));
  }
  return capBytes(parts.join("\n").trim(), MCP_RESULT_MAX_BYTES);
}

/** `text` cut to at most `max` bytes of UTF-8, never inside a character. */
export function capBytes(text: string, max: number): { text: string; truncated: boolean } {
  const bytes = new TextEncoder().encode(text);
  if (bytes.byteLength <= max) return { text, truncated: false };
  let end = max;
  // Back up over continuation bytes (10xxxxxx) so the cut falls between characters.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: new TextDecoder().decode(bytes.slice(0, end)), truncated: true };
}
