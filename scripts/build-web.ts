/**
 * Builds the web front end (web/, plain TypeScript) into public/ with esbuild:
 * - public/assets/app.[hash].js (+ chunks, split per page group) and app.[hash].css: immutable names;
 * - public/index.html: the one HTML shell every page path gets (SPA fallback), pointing at those names;
 * - public/widget.js: the embeddable bubble, one IIFE at a stable URL (short cache, see public/_headers).
 * `node scripts/build-web.ts` builds once; `--watch` rebuilds on change. scripts/dev.ts calls `buildWeb`.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, context, type Metafile, type Plugin } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const publicDir = `${root}public`;
const assetsDir = `${publicDir}/assets`;
/** The widget must stay small: it loads on every page of every site that embeds a tenant's chat. */
export const WIDGET_GZIP_BUDGET = 15 * 1024;

/** What one build produced. */
export interface WebBuild {
  js: string;
  css: string;
  widgetBytes: number;
  widgetGzipBytes: number;
}

const appOptions: BuildOptions = {
  entryPoints: [`${root}web/app.ts`, `${root}web/styles/app.css`],
  outdir: assetsDir,
  bundle: true,
  splitting: true,
  format: "esm",
  target: ["es2022", "chrome111", "firefox115", "safari16"],
  minify: true,
  sourcemap: "linked",
  entryNames: "[name].[hash]",
  chunkNames: "chunk.[hash]",
  assetNames: "[name].[hash]",
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
};

const widgetOptions: BuildOptions = {
  entryPoints: [`${root}web/widget/widget.ts`],
  outfile: `${publicDir}/widget.js`,
  bundle: true,
  format: "iife",
  target: ["es2019"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
};

/** The HTML shell: no inline script or style, so the pages can run under a strict CSP. */
export function shellHtml(js: string, css: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="strict-origin-when-cross-origin">
<meta name="color-scheme" content="light">
<title>CIP</title>
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
</head>
<body>
<noscript>This page needs JavaScript. / Для этой страницы нужен JavaScript.</noscript>
<div id="app" aria-busy="true"></div>
</body>
</html>
`;
}

function entryOutputs(meta: Metafile): { js: string; css: string; all: Set<string> } {
  let js = "";
  let css = "";
  const all = new Set<string>();
  for (const [path, out] of Object.entries(meta.outputs)) {
    const name = path.split("/").pop() ?? "";
    all.add(name);
    if (out.entryPoint?.endsWith("web/app.ts")) js = name;
    if (out.entryPoint?.endsWith("web/styles/app.css")) css = name;
  }
  if (!js || !css) throw new Error("build-web: the app entry points produced no output");
  return { js, css, all };
}

/** Writes index.html for these outputs and removes asset files of earlier builds. */
function finish(meta: Metafile): { js: string; css: string } {
  const { js, css, all } = entryOutputs(meta);
  writeFileSync(`${publicDir}/index.html`, shellHtml(js, css));
  for (const name of readdirSync(assetsDir)) if (!all.has(name)) rmSync(`${assetsDir}/${name}`);
  return { js, css };
}

async function buildWidget(): Promise<{ bytes: number; gzip: number }> {
  const result = await build({ ...widgetOptions, write: false });
  const file = result.outputFiles[0];
  if (!file) throw new Error("build-web: the widget produced no output");
  writeFileSync(`${publicDir}/widget.js`, file.contents);
  return { bytes: file.contents.byteLength, gzip: gzipSync(file.contents, { level: 9 }).byteLength };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Builds everything once (or, with `watch`, keeps rebuilding on changes until the process ends). */
export async function buildWeb(opts: { watch?: boolean; quiet?: boolean } = {}): Promise<WebBuild> {
  mkdirSync(assetsDir, { recursive: true });
  const widget = await buildWidget();
  if (widget.gzip > WIDGET_GZIP_BUDGET) {
    throw new Error(`build-web: widget.js is ${kb(widget.gzip)} gzipped, over ${kb(WIDGET_GZIP_BUDGET)}`);
  }
  let first: { js: string; css: string };
  if (opts.watch) {
    let resolveFirst!: (v: { js: string; css: string }) => void;
    const ready = new Promise<{ js: string; css: string }>((r) => {
      resolveFirst = r;
    });
    const onEnd: Plugin = {
      name: "cip-shell",
      setup(b) {
        b.onEnd(async (result) => {
          if (result.errors.length > 0 || !result.metafile) return;
          resolveFirst(finish(result.metafile));
        });
      },
    };
    const ctx = await context({ ...appOptions, plugins: [onEnd] });
    await ctx.watch();
    await (await context(widgetOptions)).watch();
    first = await ready;
  } else {
    const result = await build(appOptions);
    if (!result.metafile) throw new Error("build-web: no metafile");
    first = finish(result.metafile);
  }
  if (!opts.quiet) {
    console.log(
      `[build-web] public/assets/${first.js}, ${first.css}; widget.js ${kb(widget.bytes)} (${kb(widget.gzip)} gzipped)`,
    );
  }
  return { ...first, widgetBytes: widget.bytes, widgetGzipBytes: widget.gzip };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWeb({ watch: process.argv.includes("--watch") }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
