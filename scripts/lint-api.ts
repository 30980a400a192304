/**
 * `npm run lint:api` (CI): the API contract as client generators see it.
 * 1. Builds the OpenAPI document in-process (scripts/lib/openapi-document.ts) into dist/openapi.json.
 * 2. Lints it with Redocly's recommended ruleset (redocly.yaml; reviewed exceptions in
 *    .redocly.lint-ignore.yaml): any error or warning fails.
 * 3. Generates the typed client's types from it (test/api-client/cip-api.d.ts) and typechecks the
 *    client example and its test (test/api-client/tsconfig.json) against them.
 * 4. Fails when the web pages' committed types (web/shared/api-types.gen.ts) are not what the document
 *    gives now, like `wrangler types --check`: `npm run api:types` rewrites them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  API_TYPES_FILE,
  generateApiTypes,
  generateWebApiTypes,
  WEB_API_TYPES_FILE,
} from "./lib/api-types.ts";
import { buildOpenApiDocument } from "./lib/openapi-document.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const DOCUMENT = "dist/openapi.json";

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{
    ruleId: string;
    severity: string;
    message: string;
    location: Array<{ pointer?: string }>;
  }>;
}

const document = await buildOpenApiDocument();
mkdirSync(`${root}dist`, { recursive: true });
// Indented, so a problem's line number points somewhere readable.
writeFileSync(`${root}${DOCUMENT}`, `${JSON.stringify(JSON.parse(document), null, 2)}\n`);
console.log(`built ${DOCUMENT}`);

const lint = spawnSync(
  process.execPath,
  [`${root}node_modules/@redocly/cli/bin/cli.js`, "lint", DOCUMENT, "--format=json", "--max-problems=1000"],
  {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    // No telemetry, no update check: CI has no network but the registries.
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  },
);
let report: LintReport;
try {
  report = JSON.parse(lint.stdout) as LintReport;
} catch {
  console.error(lint.stdout, lint.stderr);
  throw new Error(`redocly lint did not report (exit ${lint.status})`);
}
for (const p of report.problems) {
  console.error(`${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ""}\n  ${p.message}`);
}
const { errors, warnings, ignored } = report.totals;
console.log(`redocly lint: ${errors} errors, ${warnings} warnings, ${ignored} reviewed exceptions`);
if (errors + warnings > 0) process.exit(1);

writeFileSync(`${root}${API_TYPES_FILE}`, await generateApiTypes(document));
console.log(`generated ${API_TYPES_FILE}`);
const tsc = spawnSync(`${root}node_modules/.bin/tsc`, ["-p", "test/api-client/tsconfig.json"], {
  cwd: root,
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(1);
console.log("typed client: typecheck passed");

let committed = "";
try {
  committed = readFileSync(`${root}${WEB_API_TYPES_FILE}`, "utf8");
} catch {
  // Missing counts as stale.
}
if (committed !== (await generateWebApiTypes(document))) {
  console.error(`${WEB_API_TYPES_FILE} is stale (the API changed): run \`npm run api:types\` and commit it`);
  process.exit(1);
}
console.log(`${WEB_API_TYPES_FILE}: up to date`);
