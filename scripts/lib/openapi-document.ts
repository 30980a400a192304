/**
 * The app's OpenAPI document, built in this Node process: the Worker's app (src/app.ts) is bundled with
 * esbuild, its `cloudflare:*` imports replaced by inert stand-ins (serving the document needs neither a
 * Durable Object nor a socket), and `GET /api/v1/openapi.json` is requested from it in-process. No
 * database, no wrangler, no network.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));

const STAND_INS = `
export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }
export class WorkerEntrypoint {}
export const env = {};
export function connect() { throw new Error("no sockets while the OpenAPI document is built"); }
`;

const cloudflareStandIns: Plugin = {
  name: "cloudflare-stand-ins",
  setup(b) {
    b.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: "cloudflare" }));
    b.onLoad({ filter: /.*/, namespace: "cloudflare" }, () => ({ contents: STAND_INS, loader: "js" }));
  },
};

const ENTRY = `
import { createApp } from ${JSON.stringify(`${root}src/app.ts`)};
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
export async function openApiDocument() {
  const res = await createApp().request("/api/v1/openapi.json", {}, {}, ctx);
  if (res.status !== 200) throw new Error("openapi.json answered " + res.status + ": " + (await res.text()));
  return res.text();
}
`;

/** The document the app serves at /api/v1/openapi.json, as JSON text. */
export async function buildOpenApiDocument(): Promise<string> {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: "ts", sourcefile: "openapi-entry.ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "error",
    plugins: [cloudflareStandIns],
    // Bundled CommonJS packages require Node built-ins (events, net): give the ES module a `require`.
    banner: {
      js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "cip-openapi-"));
  try {
    const file = join(dir, "app.mjs");
    writeFileSync(file, out.outputFiles[0]?.text ?? "");
    // The app warns once that SMTP is not configured: irrelevant to the document.
    const warn = console.warn;
    console.warn = () => {};
    try {
      const mod = (await import(pathToFileURL(file).href)) as { openApiDocument: () => Promise<string> };
      return await mod.openApiDocument();
    } finally {
      console.warn = warn;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
