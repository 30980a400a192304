/**
 * Finds contact details (e-mail addresses and phone numbers) a visitor typed into a chat message, so a
 * conversation can be turned into a lead. Pure and linear-time: every pattern is anchored by a short
 * lookbehind and has no nested ambiguous quantifiers, so adversarial input cannot cause catastrophic
 * backtracking. Detection is deliberately conservative: a missed lead is cheaper than a wrong one.
 */

/** A contact detail found in a message. */
export interface Lead {
  kind: "email" | "phone";
  /** Normalised form used for deduplication: a lower-cased e-mail, or a phone in E.164 (`+` and digits). */
  value: string;
  /** The text exactly as it appears in the message. */
  raw: string;
}

interface Found {
  index: number;
  lead: Lead;
}

/** Characters of an e-mail local part (between dots). */
const LOCAL = "\\p{L}\\p{N}_%+\\-";
/** A domain label: letters or digits, inner hyphens, at most 63 characters. */
const LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}\\-]{0,61}[\\p{L}\\p{N}])?";
/**
 * An e-mail address. The two lookbehinds make a match start only at the start of a local part, which keeps
 * the scan linear; the TLD must be 2+ letters (any script, so `почта.рф` works) or a punycode `xn--` label.
 */
const EMAIL = new RegExp(
  `(?<![${LOCAL}])(?<![${LOCAL}]\\.)[${LOCAL}]+(?:\\.[${LOCAL}]+)*@(?:${LABEL}\\.)+(?:\\p{L}{2,63}|xn--[a-z0-9\\-]{1,59})(?![\\p{L}\\p{N}_\\-])`,
  "giu",
);
/** A URL (`scheme://...` or `www....`); nothing inside one counts as a lead. */
const URL_SPAN = /(?<![\p{L}\p{N}+.-])(?:[a-z][a-z0-9+.-]{0,30}:\/\/|www\.)[^\s<>"'«»]+/giu;

/** What may sit between the digit groups of a phone: spaces, dots, dashes, parentheses (1-4 of them). */
const SEP_CHARS = " \\t\\u00A0\\u2009\\u202F.()\\-\\u2010-\\u2015\\u2212";
/** A run of digit groups, optionally led by `+`, that does not start glued to a letter, digit or `+`. */
const DIGIT_RUN = new RegExp(`(?<![\\p{L}\\p{N}_+])\\+?\\d+(?:[${SEP_CHARS}]{1,4}\\d+)*`, "gu");
const GROUP = new RegExp(`\\d+|[${SEP_CHARS}]+`, "gu");
const SPACE_ONLY = /^[ \t\u00A0\u2009\u202F]+$/u;
/** A separator holding a dot and a space ends a sentence: "...67 89. 2 cats" is two runs. */
const SENTENCE_BREAK = /\.[ \t\u00A0\u2009\u202F]|[ \t\u00A0\u2009\u202F]\./u;

/** A reference-number keyword (or `#`/`№`) right before the digits: they are an id, not a phone. */
const KEYWORD_BEFORE =
  /(?:[#№]|(?<![\p{L}\p{N}])(?:order|invoice|inv|ref|id|sku|isbn|issn|ticket|tracking|account|acct|card|iban|заказ\p{L}*|сч[её]т\p{L}*|инн|огрн\p{L}*|кпп|бик|снилс|паспорт\p{L}*|артикул\p{L}*|арт|договор\p{L}*|квитанци\p{L}*|накладн\p{L}*|трек\p{L}*|карт(?:а|ы|у|е|ой|очк\p{L}*))\.?(?:\s*(?:number|num|no|nr|номер\p{L}*|n))?)[\s.:#№-]*$/iu;
const CURRENCY_BEFORE = /(?:[$€£¥₽₴₸]|(?<![\p{L}])(?:usd|eur|rub|руб))\.?\s*$/iu;
const UNIT_AFTER =
  /^\s*(?:[$€£¥₽₴₸%‰]|(?:руб\p{L}*|р|rub|usd|eur|gbp|грн|тг|коп\p{L}*|шт|kg|кг)\.?(?!\p{L}))/iu;
const WORD_CHAR = /[\p{L}\p{N}_@]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\d/;
/** Punctuation that glues a neighbouring number to the digits (`1.2.3`, `12:30`, `1,234`). */
const NUMBER_JOINERS = ".,:-/\\_";
/** Punctuation that glues a neighbouring word to the digits (`id-123`, `wa.me/7912...`). */
const WORD_JOINERS = "-/\\_";
const E164_MAX = 15;
const PHONE_MIN = 10;
/** Placeholder for masked e-mails and URLs: neither a letter, a digit nor a separator. */
const MASK = "\uFFFC";

interface Group {
  digits: string;
  start: number;
  end: number;
  /** Separator text before this group ("" for the first group of a run). */
  sepBefore: string;
  /** The separator before is plain whitespace, so a phone may start here or end just before. */
  spaced: boolean;
}

/**
 * Extracts e-mail addresses and phone numbers from free text, deduplicated by (kind, value) and in order of
 * appearance.
 *
 * E-mails: a pragmatic RFC 5322 subset (dotted local part of letters, digits, `_ % + -`; a domain with at
 * least one dot and a TLD of 2+ letters, Unicode allowed). `user@localhost` and anything inside a URL
 * (`https://x.com/@user`) are ignored. `value` is lower-cased.
 *
 * Phones: digit groups separated by spaces, dots, dashes or parentheses, with 10-15 digits in total.
 * - With a leading `+` the digits are taken as-is (`+1`/`+7` need exactly 11 digits; a `(0)` trunk after
 *   the country code is dropped): `+44 (0)20 7946 0958` → `+442079460958`.
 * - Without `+`, ONLY the Russian form counts: exactly 11 digits starting with 8 or 7, then an area code
 *   starting 3-9, with the trunk digit written alone or glued to the code (`8 912 ...`, `8(912)...`,
 *   `89123456789`, `7 912 345-67-89`); it is normalised to `+7...`. Any other bare digit string, e.g.
 *   `(415) 555-2671`, is NOT a phone: without a country code there are too many false positives.
 * - Never a phone: digits glued to letters or other numbers (`v1.2.3`, UUIDs, `12:30`, `1,234`), digits
 *   after a reference keyword (`№`, `#`, order, invoice, заказ, счёт, ИНН, ISBN, ...) or next to a
 *   currency (`₽`, `$`, руб), dates (`26.11.2026`, `2026-11-26`), IP addresses, more than 15 digits.
 *   `value` is E.164: `+` and digits only.
 */
export function extractLeads(text: string): Lead[] {
  const found: Found[] = [];
  const masked = text.split("");
  const maskSpan = (start: number, end: number) => {
    for (let i = start; i < end; i++) masked[i] = MASK;
  };

  const urls: Array<[number, number]> = [];
  if (text.includes("://") || /www\./i.test(text)) {
    for (const m of text.matchAll(URL_SPAN)) urls.push([m.index, m.index + m[0].length]);
  }
  for (const [start, end] of urls) maskSpan(start, end);

  for (const m of text.includes("@") ? text.matchAll(EMAIL) : []) {
    const start = m.index;
    const end = start + m[0].length;
    if (urls.some(([from, to]) => start < to && end > from)) continue;
    maskSpan(start, end);
    const raw = m[0];
    const local = raw.slice(0, raw.lastIndexOf("@"));
    if (local.length > 64 || raw.length > 254) continue;
    found.push({ index: start, lead: { kind: "email", value: normaliseEmail(raw), raw } });
  }

  const rest = masked.join("");
  for (const m of rest.matchAll(DIGIT_RUN)) {
    for (const phone of phonesInRun(text, rest, m.index, m[0])) found.push(phone);
  }

  found.sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  const leads: Lead[] = [];
  for (const { lead } of found) {
    const key = `${lead.kind}:${lead.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    leads.push(lead);
  }
  return leads;
}

/** Lower-cases an e-mail and trims punctuation a sentence may have left at its end. */
function normaliseEmail(raw: string): string {
  return raw.toLowerCase().replace(/[.,;:!?)\]}>'"»]+$/u, "");
}

/** Splits one digit run into sentence-level pieces and returns the phones found in each. */
function phonesInRun(text: string, masked: string, index: number, run: string): Found[] {
  const plus = run.startsWith("+");
  const pieces: Group[][] = [[]];
  let sep = "";
  for (const part of (plus ? run.slice(1) : run).matchAll(GROUP)) {
    const value = part[0];
    const start = index + (plus ? 1 : 0) + part.index;
    if (!DIGIT.test(value[0] ?? "")) {
      sep = value;
      continue;
    }
    if (sep !== "" && SENTENCE_BREAK.test(sep)) {
      pieces.push([]);
      sep = "";
    }
    const spaced = SPACE_ONLY.test(sep);
    pieces.at(-1)?.push({ digits: value, start, end: start + value.length, sepBefore: sep, spaced });
    sep = "";
  }

  const out: Found[] = [];
  pieces.forEach((groups, n) => {
    const first = groups[0];
    const last = groups.at(-1);
    if (!first || !last) return;
    if (groups.reduce((sum, g) => sum + g.digits.length, 0) < PHONE_MIN) return;
    const hasPlus = plus && n === 0;
    const start = hasPlus ? first.start - 1 : first.start;
    if (isDisqualified(masked, start, last.end)) return;
    for (const phone of phonesInPiece(text, groups, hasPlus)) out.push(phone);
  });
  return out;
}

/** True when the context around `masked[start, end)` shows the digits are not a phone. */
function isDisqualified(masked: string, start: number, end: number): boolean {
  const before = masked[start - 1] ?? "";
  const before2 = masked[start - 2] ?? "";
  if (WORD_CHAR.test(before)) return true;
  if (NUMBER_JOINERS.includes(before) && before !== "" && DIGIT.test(before2)) return true;
  if (WORD_JOINERS.includes(before) && before !== "" && LETTER.test(before2)) return true;

  const after = masked[end] ?? "";
  const after2 = masked[end + 1] ?? "";
  if (WORD_CHAR.test(after)) return true;
  if (NUMBER_JOINERS.includes(after) && after !== "" && DIGIT.test(after2)) return true;
  if (WORD_JOINERS.includes(after) && after !== "" && LETTER.test(after2)) return true;

  const prefix = masked.slice(Math.max(0, start - 40), start);
  if (KEYWORD_BEFORE.test(prefix) || CURRENCY_BEFORE.test(prefix)) return true;
  return UNIT_AFTER.test(masked.slice(end, end + 16));
}

/**
 * Scans the digit groups of one piece left to right for phone-shaped windows. A window that does not span
 * the whole piece must be cut at plain spaces, never inside `-`, `.` or `()` punctuation.
 */
function phonesInPiece(text: string, groups: Group[], hasPlus: boolean): Found[] {
  const excluded = excludedGroups(groups);
  const out: Found[] = [];
  let i = 0;
  while (i < groups.length) {
    const head = groups[i];
    if (!head) break;
    if (i > 0 && !head.spaced) {
      i++;
      continue;
    }
    const plus = hasPlus && i === 0;
    // Cheap shortcut: without `+` only a Russian trunk digit can start a phone.
    if (!plus && !/^[78]/.test(head.digits)) {
      i++;
      continue;
    }
    let best: { end: number; value: string } | null = null;
    let digits = 0;
    for (let j = i; j < groups.length; j++) {
      const group = groups[j];
      if (!group || excluded[j]) break;
      digits += group.digits.length;
      if (digits > E164_MAX) break;
      const next = groups[j + 1];
      if (digits < PHONE_MIN || (!plus && digits !== 11)) continue;
      if (next && !next.spaced) continue;
      const value = phoneValue(groups.slice(i, j + 1), plus);
      if (value) best = { end: j, value };
    }
    if (!best) {
      i++;
      continue;
    }
    const start = plus ? head.start - 1 : head.start;
    const end = groups[best.end]?.end ?? head.end;
    out.push({ index: start, lead: { kind: "phone", value: best.value, raw: text.slice(start, end) } });
    i = best.end + 1;
  }
  return out;
}

/** Marks groups that form a date (`26.11.2026`, `2026-11-26`) or an IPv4 address. */
function excludedGroups(groups: Group[]): boolean[] {
  const excluded = groups.map(() => false);
  for (let i = 0; i + 2 < groups.length; i++) {
    const [a, b, c] = [groups[i], groups[i + 1], groups[i + 2]];
    if (!a || !b || !c || !isDateSep(b.sepBefore) || b.sepBefore !== c.sepBefore) continue;
    if (isDate(a.digits, b.digits, c.digits) || isDate(c.digits, b.digits, a.digits)) {
      excluded[i] = excluded[i + 1] = excluded[i + 2] = true;
    }
  }
  let octets = 0;
  for (const [i, g] of groups.entries()) {
    const isOctet = g.digits.length <= 3 && Number(g.digits) <= 255;
    octets = !isOctet ? 0 : g.sepBefore === "." ? octets + 1 : 1;
    if (octets >= 4) for (let k = i - 3; k <= i; k++) excluded[k] = true;
  }
  return excluded;
}

function isDateSep(sep: string): boolean {
  return sep === "." || sep === "-" || sep === "/";
}

/** `dd.mm.yyyy` (or `mm.dd.yyyy`) with a plausible day, month and year. */
function isDate(day: string, month: string, year: string): boolean {
  if (day.length > 2 || month.length > 2 || year.length !== 4) return false;
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const dayMonth = (d >= 1 && d <= 31 && m >= 1 && m <= 12) || (m >= 1 && m <= 31 && d >= 1 && d <= 12);
  return dayMonth && y >= 1900 && y <= 2099;
}

/** The E.164 form of a window of groups, or null when it is not phone-shaped. */
function phoneValue(groups: Group[], plus: boolean): string | null {
  let depth = 0;
  for (const [k, group] of groups.entries()) {
    if (k === 0) continue;
    for (const ch of group.sepBefore) {
      if (ch === "(") depth++;
      if (ch === ")") depth--;
      if (depth < 0 || depth > 1) return null;
    }
  }
  if (depth !== 0) return null;

  if (plus) {
    const kept = groups.filter(
      (g, k) =>
        !(k === 1 && g.digits === "0" && g.sepBefore.endsWith("(") && groups[2]?.sepBefore.startsWith(")")),
    );
    const digits = kept.map((g) => g.digits).join("");
    if (digits.startsWith("0") || digits.length < PHONE_MIN || digits.length > E164_MAX) return null;
    if ((digits.startsWith("1") || digits.startsWith("7")) && digits.length !== 11) return null;
    return `+${digits}`;
  }

  const digits = groups.map((g) => g.digits).join("");
  const trunkLength = groups[0]?.digits.length ?? 0;
  if (digits.length !== 11 || !/^[78][3-9]/.test(digits)) return null;
  if (trunkLength !== 1 && trunkLength < 4) return null;
  return `+7${digits.slice(1)}`;
}

/** The phone as a lead (E.164 value), or null when the text is not exactly one phone number. */
export function phoneLead(text: string): { value: string; raw: string } | null {
  const found = extractLeads(text);
  const phones = found.filter((l) => l.kind === "phone");
  if (phones.length !== 1 || found.length !== 1) return null;
  const [phone] = phones;
  return phone ? { value: phone.value, raw: phone.raw } : null;
}
