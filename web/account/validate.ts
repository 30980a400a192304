/** Client-side checks mirroring the API's (src/schemas/accounts.ts, src/lib/passwords.ts). */
import { codePoints } from "../shared/dom.ts";
import { at } from "./texts.ts";

/** Like the API: 8..256 code points (after NFC), never truncated. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** null when `value` looks like an e-mail address the API accepts. */
export function checkEmail(value: string): string | null {
  const v = value.trim();
  return v.length > 0 && v.length <= 254 && EMAIL.test(v) ? null : at("errEmail");
}

/** null when the password has an acceptable length. */
export function checkPassword(value: string): string | null {
  const n = codePoints(value.normalize("NFC"));
  if (n < PASSWORD_MIN) return at("errPasswordShort");
  if (n > PASSWORD_MAX) return at("errPasswordLong");
  return null;
}

/** null when the slug matches the API's rule. */
export function checkSlug(value: string): string | null {
  return value.length >= 3 && value.length <= 40 && SLUG.test(value) ? null : at("errSlug");
}

/** A check for a required text of at most `max` characters. */
export function checkText(max: number, required = true): (value: string) => string | null {
  return (value) => {
    const v = value.trim();
    if (required && !v) return at("errRequired");
    return codePoints(v) > max ? at("errTooLong", { max }) : null;
  };
}
