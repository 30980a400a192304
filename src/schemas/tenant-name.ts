/**
 * A tenant's name goes into the subject and body of account mail sent to any address a visitor types in,
 * so it must not carry a phishing message: one line, no links or anything a mail client would turn into
 * one, no control or invisible formatting characters. Every route that sets a tenant name uses this.
 */
import { z } from "@hono/zod-openapi";

/** The longest tenant name, in UTF-16 units as before these rules. */
export const TENANT_NAME_MAX = 100;

// Cc covers newlines, tabs and NUL; Cf the invisible ones (bidi overrides, zero-width joiners) that can
// hide a link from the checks below; U+2028/U+2029 are line breaks too.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
// Dots mail clients and IDNA treat as one: ".", "。", "．", "｡".
const DOT = "[.\\u3002\\uFF0E\\uFF61]";
const LINK_PATTERNS: readonly RegExp[] = [
  /[a-z][a-z0-9+.-]*:\/\//i, // any scheme: http://, https://, ftp://
  /\bwww\d*[.\u3002\uFF0E\uFF61]/iu,
  // Something that looks like a domain: a label, a dot, and a top-level domain of letters (`evil.com`,
  // `пример.рф`, `xn--p1ai`), or an IPv4 address.
  new RegExp(`[\\p{L}\\p{N}-]${DOT}(?:\\p{L}{2,}|xn--)`, "u"),
  new RegExp(`\\d{1,3}(?:${DOT}\\d{1,3}){3}`, "u"),
];

/** Why `name` (already trimmed) cannot be a tenant name, or null when it can. */
export function tenantNameProblem(name: string): string | null {
  if (CONTROL.test(name)) return "Must be one line without control or invisible characters.";
  if (LINK_PATTERNS.some((pattern) => pattern.test(name))) {
    return "Must not contain a link or a web address (such as example.com).";
  }
  return null;
}

/** The tenant name in a request body: trimmed, 1 to 100 characters, one line, no links. */
export const TenantNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(TENANT_NAME_MAX)
  .superRefine((name, ctx) => {
    const problem = tenantNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({ example: "Flower Shop", description: "One line, no links or web addresses" });
