/**
 * Where outgoing webhooks may point: an `https://` URL on a public address. Names that only mean
 * something inside a network (localhost, `.local`, single labels) and IP literals of loopback, private,
 * link-local, shared, documentation, multicast or reserved ranges are refused, so a tenant cannot make
 * CIP call into the network it runs in. `allowPrivate` (WEBHOOK_ALLOW_PRIVATE=1, local development and
 * tests) lifts all of it, `http://` included. Checked when a hook is made and again before every delivery.
 */

/** Longest webhook URL accepted. */
export const MAX_WEBHOOK_URL = 2000;

const LOCAL_SUFFIXES = [
  ".localhost",
  ".local",
  ".internal",
  ".intranet",
  ".lan",
  ".home.arpa",
  ".localdomain",
];

/** Why `raw` may not be a webhook target, or null when it may. */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | null {
  if (raw.length > MAX_WEBHOOK_URL) return `Use at most ${MAX_WEBHOOK_URL} characters.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Not a URL.";
  }
  if (url.username || url.password) return "The URL must not carry a user name or password.";
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return "Use an https:// URL.";
  }
  if (allowPrivate) return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) return ipv6Problem(host.slice(1, -1));
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return ipv4Problem(host);
  if (host === "localhost" || LOCAL_SUFFIXES.some((s) => host.endsWith(s)) || !host.includes(".")) {
    return "Use a public host name.";
  }
  return null;
}

const PRIVATE = "The address is not public (loopback, private, link-local or reserved).";

/** IPv4 ranges that are not the public internet (RFC 6890 and friends), as [first octets, prefix bits]. */
const V4_BLOCKED: Array<[number, number]> = [
  [0x00000000, 8], // "this network"
  [0x0a000000, 8], // private
  [0x64400000, 10], // shared address space (carrier NAT)
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local (cloud metadata lives here)
  [0xac100000, 12], // private
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0000200, 24], // documentation
  [0xc0a80000, 16], // private
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // documentation
  [0xcb007100, 24], // documentation
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved and broadcast
];

function ipv4Problem(host: string): string | null {
  const octets = host.split(".").map(Number);
  if (octets.some((o) => o > 255)) return "Not a URL.";
  const value =
    ((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0);
  return v4Blocked(value >>> 0) ? PRIVATE : null;
}

function v4Blocked(value: number): boolean {
  return V4_BLOCKED.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (value & mask) >>> 0 === base;
  });
}

/** The eight 16-bit groups of an IPv6 address as the URL parser writes it (compressed, lower case). */
function ipv6Groups(text: string): number[] | null {
  const [head = "", tail] = text.split("::");
  const part = (s: string) => (s ? s.split(":") : []);
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const expand = (groups: string[]) =>
    groups.flatMap((g) => {
      if (!g.includes(".")) return [Number.parseInt(g, 16)];
      const o = g.split(".").map(Number);
      return [((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0)];
    });
  const l = expand(left);
  const r = expand(right);
  const missing = 8 - l.length - r.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const groups = [...l, ...Array<number>(missing).fill(0), ...r];
  return groups.some((g) => Number.isNaN(g)) ? null : groups;
}

function ipv6Problem(text: string): string | null {
  const g = ipv6Groups(text);
  if (!g) return "Not a URL.";
  const [a = 0, b = 0] = g;
  const zeroes = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeroes(0, 8)) return PRIVATE; // ::
  if (zeroes(0, 7) && g[7] === 1) return PRIVATE; // ::1
  const v4 = (((g[6] ?? 0) << 16) | (g[7] ?? 0)) >>> 0;
  if (zeroes(0, 5) && g[5] === 0xffff) return v4Blocked(v4) ? PRIVATE : null; // IPv4-mapped
  if (a === 0x64 && b === 0xff9b && zeroes(2, 6)) return v4Blocked(v4) ? PRIVATE : null; // NAT64
  if ((a & 0xfe00) === 0xfc00) return PRIVATE; // unique local
  if ((a & 0xffc0) === 0xfe80) return PRIVATE; // link-local
  if ((a & 0xff00) === 0xff00) return PRIVATE; // multicast
  if (a === 0x2001 && b === 0x0db8) return PRIVATE; // documentation
  if (zeroes(0, 6)) return PRIVATE; // IPv4-compatible (deprecated) and other zero-prefixed forms
  return null;
}
