/**
 * Writes src/prompts/*.ts from the prompt texts in prompts/*.txt, so the Worker bundles them as strings
 * (no loader rules needed in wrangler or Vite). Run `npm run prompts` after editing a .txt file;
 * test/unit/prompts.test.ts fails when they drift apart.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
for (const file of readdirSync(`${root}prompts`).filter((f) => f.endsWith(".txt"))) {
  const base = file.replace(/\.txt$/, "");
  const constant = base.toUpperCase();
  const text = readFileSync(`${root}prompts/${file}`, "utf8");
  const out = `// Generated from prompts/${file} by \`npm run prompts\`; edit the .txt file, not this one.\nexport const ${constant} = ${JSON.stringify(text)};\n`;
  writeFileSync(`${root}src/prompts/${base.replace(/_/g, "-")}.ts`, out);
  console.log(`src/prompts/${base.replace(/_/g, "-")}.ts <- prompts/${file}`);
}
