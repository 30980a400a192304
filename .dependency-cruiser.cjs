/**
 * The layers of src/ (DESIGN.md "Layout", docs/architecture.md), bottom to top: a module imports only
 * from its own layer or below, type imports included, and no import circle at all. `npm run lint:deps`.
 */
const LAYERS = [
  ["errors", "^src/(errors\\.ts|prompts/|lib/)"],
  ["drivers", "^src/(db|mail|llm)/"],
  ["config", "^src/(env|config)\\.ts$"],
  ["engine", "^src/chat/"],
  ["contract", "^src/schemas/"],
  ["services", "^src/services/"],
  ["commands", "^src/commands/"],
  ["entry points", "^src/(durable-objects|middleware|routes)/"],
  ["app", "^src/(app|index)\\.ts$"],
];

const upward = LAYERS.flatMap(([name, from], i) => {
  const above = LAYERS.slice(i + 1).map(([, path]) => path);
  if (above.length === 0) return [];
  return [
    {
      name: `layer-${i + 1}-${name.replace(/\s+/g, "-")}-imports-up`,
      comment: `${name} (layer ${i + 1}) may import only from its own layer or below`,
      severity: "error",
      from: { path: from },
      to: { path: above },
    },
  ];
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import circle, type-only imports included",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^src/",
    // TypeScript 7's compiler has no JS API yet: swc parses the sources (type-only imports included).
    parser: "swc",
    tsPreCompilationDeps: true,
    exclude: { path: "^src/prompts/.*\\.ts$" },
  },
};
