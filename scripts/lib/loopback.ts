/**
 * Whether `npm run dev` stays on this machine (docs/security.md, "The dev demo login"): the Worker gets
 * the demo login (DEV_DEMO_LOGIN) only when it listens on a loopback address, and the demo owner's
 * password is reset only in a database on this machine. Pure, so the rules are unit-tested.
 */

/** Whether `host` (a hostname or an address, IPv6 with or without brackets) is this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  // 127.0.0.0/8, written out in full.
  return /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(h);
}

/** Whether dev.ts may hand the Worker the demo login: only when `wrangler dev` binds to loopback. */
export function devDemoLoginAllowed(bindIp: string): boolean {
  return isLoopbackHost(bindIp);
}

/**
 * Whether the demo owner may be (re)made in the database at `databaseUrl`: the embedded PGlite, or a
 * DATABASE_URL whose host is loopback. A remote (shared, staging, deployed) database never gets one.
 */
export function demoOwnerAllowed(databaseUrl: string, embedded: boolean): boolean {
  if (embedded) return true;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return false;
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") return false;
  // libpq also takes the host as a query parameter (and a socket path there): only loopback names pass.
  const hostParam = url.searchParams.get("host");
  if (hostParam !== null && !hostParam.split(",").every(isLoopbackHost)) return false;
  if (!url.hostname) return hostParam !== null;
  return isLoopbackHost(url.hostname);
}
