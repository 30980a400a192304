/**
 * Scrubs secrets out of text before it is logged: credentials in URLs, bearer tokens, `password=`-style
 * pairs, Telegram bot tokens, JWTs, password hashes and the bound values of a failed query. Logs keep
 * the shape of a message, never the secret in it.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^:/?#@\s]+):([^@/\s]+)@/gi, "$1$2:[redacted]@"],
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [
    /\b(password|passwd|pwd|secret|token|api[_-]?key|authorization)(["']?\s*[=:]\s*["']?)[^\s"'&,;]+/gi,
    "$1$2[redacted]",
  ],
  // No leading \b: in Bot API URLs the token follows "bot" directly (`/bot123456:AAE.../getMe`).
  [/(?<![0-9])\d{5,12}:[A-Za-z0-9_-]{30,}/g, "[redacted-bot-token]"],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, "[redacted-jwt]"],
  // Password hashes (src/lib/passwords.ts), e.g. quoted by a failed INSERT into users.
  [/\bscrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]*\$[A-Za-z0-9+/=]*/g, "[redacted-password-hash]"],
  // drizzle's "Failed query: ...\nparams: ..." lists every bound value (hashes, visitor text): drop them,
  // raw or inside a JSON string (where the newline is the two characters \n and quotes are escaped).
  [/(\\n|\n)params: (?:\\.|[^"\\\n])*/g, "$1params: [redacted]"],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

// An address as SMTP servers quote it (`<ann@example.com>`, `ann@example.com`); IDN letters included.
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/**
 * Replaces e-mail addresses with `[address]`: for text about a mail (an SMTP refusal quoting its
 * recipient) that is about to be logged, so the log says why a mail failed but not to whom.
 */
export function redactEmails(text: string): string {
  return text.replace(EMAIL, "[address]");
}

/**
 * Cuts the query and fragment off every http(s) link (`…/confirm?token=…` -> `…/confirm?[redacted]`):
 * account links carry their single-use token there.
 */
export function redactLinks(text: string): string {
  return text.replace(/\b(https?:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*/gi, "$1?[redacted]");
}
