/** `npm run db:migrate`: applies pending migrations to DATABASE_URL. */
import { migrateDatabase } from "./lib/migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/cip).");
  process.exit(2);
}
await migrateDatabase(url);
console.log("migrations applied");
