/**
 * The deployment as docs/decisions.md "Deploy" decides it: Hyperdrive without query caching, a minified
 * bundle with its source maps uploaded, and the bundle budget checked in CI.
 */
import { describe, expect, it } from "vitest";
import packageJson from "../../package.json";
import readme from "../../README.md?raw";
import wranglerToml from "../../wrangler.toml?raw";

/** Each `wrangler hyperdrive create|update ...` command in a text, joined across line breaks. */
function hyperdriveCommands(text: string, verb: "create" | "update"): string[] {
  const flat = text.replace(/\n\s*(#\s*)?/g, " ");
  return [...flat.matchAll(new RegExp(`wrangler hyperdrive ${verb} [^\`]*`, "g"))].map((m) => m[0]);
}

/** The top-level keys of wrangler.toml: the lines before its first [section]. */
function topLevel(toml: string): string {
  return toml.slice(0, toml.search(/^\[/m));
}

describe("deployment configuration", () => {
  it("the README creates Hyperdrive with query caching disabled, and says how to turn it off later", () => {
    const creates = hyperdriveCommands(readme, "create");
    expect(creates.length).toBeGreaterThan(0);
    for (const command of creates) expect(command).toMatch(/ --caching-disabled(?! false)/);
    const updates = hyperdriveCommands(readme, "update");
    expect(updates.length).toBeGreaterThan(0);
    for (const command of updates) expect(command).toContain("--caching-disabled true");
    // Cache lifetimes only make sense with caching on.
    expect(readme).not.toMatch(/wrangler hyperdrive [^`]*--(max-age|swr)/);
  });

  it("wrangler.toml's own note on the Hyperdrive binding says the same", () => {
    const creates = hyperdriveCommands(wranglerToml, "create");
    expect(creates.length).toBeGreaterThan(0);
    for (const command of creates) expect(command).toMatch(/ --caching-disabled(?! false)/);
  });

  it("the Worker deploys minified with its source maps, and CI checks the bundle's size", () => {
    expect(topLevel(wranglerToml)).toMatch(/^minify = true$/m);
    expect(topLevel(wranglerToml)).toMatch(/^upload_source_maps = true$/m);
    expect(packageJson.scripts["deploy:check"]).toBe("node scripts/deploy-check.ts");
  });
});
