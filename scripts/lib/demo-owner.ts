/**
 * The demo tenant's owner under `npm run dev` (docs/cabinet.md, "The demo cabinet"). Each start gives
 * the owner a NEW random password, printed by dev.ts and handed to the Worker for the demo login page's
 * "open the demo cabinet" (DEV_DEMO_LOGIN): no database, deployed or local, ever holds a known demo
 * login, and a password that leaked from an old terminal stops working at the next start. The account
 * is made here, in the database, because sign-up makes a NEW tenant: the demo tenant (migration 0001)
 * has no sign-up of its own. Everything else the demo shows goes through the HTTP API (demo-seed.ts).
 */
import { randomBytes, scrypt } from "node:crypto";
import pg from "pg";
import { demoOwnerAllowed } from "./loopback.ts";

/** The demo tenant of migrations/0001_demo_tenant.sql. */
export const DEMO_TENANT_ID = "00000000-0000-4000-8000-000000000001";
export const DEMO_SLUG = "demo";
export const DEMO_OWNER_EMAIL = "owner@demo.example.com";

/**
 * The app's stored form, `scrypt$N$r$p$salt$hash` with the parameters of src/lib/passwords.ts (which plain
 * Node cannot import: its error type uses TypeScript syntax type stripping does not take).
 */
function hashPassword(password: string): Promise<string> {
  const [N, r, p] = [2 ** 14, 8, 5];
  const salt = randomBytes(16);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, 32, { N, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err
        ? reject(err)
        : resolve(["scrypt", N, r, p, salt.toString("base64"), key.toString("base64")].join("$")),
    );
  });
}

export interface DemoLogin {
  email: string;
  password: string;
}

/**
 * Makes the demo owner (or resets its password), confirmed, with the English cabinet. Only in the
 * embedded PGlite or a database on this machine (loopback.ts): for any other DATABASE_URL it changes
 * nothing, says why through `say`, and returns null, so a shared or deployed database never gets a
 * demo owner with a password printed in a terminal.
 */
export async function resetDemoOwner(
  databaseUrl: string,
  opts: { embedded: boolean; say?: (msg: string) => void },
): Promise<DemoLogin | null> {
  if (!demoOwnerAllowed(databaseUrl, opts.embedded)) {
    opts.say?.(
      "demo owner NOT made: DATABASE_URL is not on this machine (only 127.0.0.1, localhost, ::1 or the embedded PGlite)",
    );
    return null;
  }
  const password = `demo-${randomBytes(9).toString("base64url")}`;
  const hash = await hashPassword(password);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("begin");
    // Row-level security (migration 0003) also binds a table's owner: name the tenant, as the app does.
    await client.query("select set_config('app.tenant_id', $1, true)", [DEMO_TENANT_ID]);
    const tenant = await client.query("select 1 from tenants where id = $1", [DEMO_TENANT_ID]);
    if (tenant.rowCount === 0) throw new Error("the demo tenant is missing (migration 0001)");
    await client.query(
      `insert into users (tenant_id, email, password_hash, name, locale, role, confirmed_at)
       values ($1, $2, $3, 'Demo owner', 'en', 'owner', now())
       on conflict (tenant_id, email) do update
         set password_hash = excluded.password_hash, role = 'owner',
             confirmed_at = coalesce(users.confirmed_at, now()), tokens_valid_after = now(), updated_at = now()`,
      [DEMO_TENANT_ID, DEMO_OWNER_EMAIL, hash],
    );
    await client.query("commit");
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
  return { email: DEMO_OWNER_EMAIL, password };
}
