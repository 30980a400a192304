/** Time to the first sign of an answer in a streamed HTTP response, for measurement scripts. */

/**
 * POSTs `body` as JSON to `url`, reads the whole streamed answer, and gives the milliseconds from the
 * request until the text first matched `marker` (NaN if it never did), with the status and the text.
 */
export async function timeToFirstMatch(
  url: string,
  body: unknown,
  marker: RegExp,
  headers: Record<string, string> = {},
): Promise<{ ms: number; text: string; status: number }> {
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  let text = "";
  let ms = Number.NaN;
  if (!res.body) return { ms, text, status: res.status };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (Number.isNaN(ms) && marker.test(text)) ms = performance.now() - started;
  }
  return { ms, text, status: res.status };
}
