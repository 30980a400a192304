/** Exits 0 when the Postgres at the given URL answers a query within 3 s, 1 otherwise (used by .ci/run). */
import { LOCAL_POSTGRES, pgAnswers } from "./lib/script-database.ts";

process.exit((await pgAnswers(process.argv[2] ?? LOCAL_POSTGRES)) ? 0 : 1);
