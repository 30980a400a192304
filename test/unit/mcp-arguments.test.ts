import { describe, expect, it } from "vitest";
import { argumentNames, toolArguments } from "../../src/services/mcp/arguments.ts";
import { mcpUserSection } from "../../src/services/mcp/prompt.ts";
import { capBytes, resultText } from "../../src/services/mcp/result-text.ts";
import { snapshotServers } from "../../src/services/mcp/snapshot.ts";

const schema = {
  type: "object",
  properties: {
    cityName: { type: "string" },
    days: { type: "integer" },
    ratio: { type: ["number", "null"] },
    metric: { type: "boolean" },
    filter: { type: "object" },
    tags: { type: "array" },
  },
  required: ["cityName"],
};

describe("MCP arguments typed by the input schema", () => {
  it("converts numbers, booleans, JSON objects and arrays; keys match without case; unknown keys drop", () => {
    const result = toolArguments(schema, {
      cityname: "Oslo",
      days: "3",
      ratio: "0,5",
      metric: "да",
      filter: '{"a":1}',
      tags: '["x"]',
      extra: "ignored",
    });
    expect(result).toEqual({
      ok: true,
      args: { cityName: "Oslo", days: 3, ratio: 0.5, metric: true, filter: { a: 1 }, tags: ["x"] },
    });
  });

  it("names the first missing or mistyped argument", () => {
    expect(toolArguments(schema, { days: "3" })).toEqual({ ok: false, problem: "missing", name: "cityName" });
    expect(toolArguments(schema, { cityname: "a", days: "2.5" })).toMatchObject({
      problem: "invalid",
      name: "days",
    });
    expect(toolArguments(schema, { cityname: "a", metric: "maybe" })).toMatchObject({ name: "metric" });
    expect(toolArguments(schema, { cityname: "a", filter: "[1]" })).toMatchObject({ name: "filter" });
    expect(toolArguments(schema, { cityname: "a", tags: "{" })).toMatchObject({ name: "tags" });
    expect(toolArguments(schema, { cityname: "a", days: "" })).toMatchObject({ name: "days" });
  });

  it("lists argument names required first, with their types", () => {
    expect(argumentNames(schema)).toEqual([
      "cityName* (string)",
      "days (integer)",
      "ratio (number)",
      "metric (boolean)",
      "filter (object)",
      "tags (array)",
    ]);
  });
});

describe("MCP results and prompt", () => {
  it("joins text parts, names other parts, caps at 8 KB between characters", () => {
    expect(
      resultText({ content: [{ type: "text", text: "a" }, { type: "image" }, { type: "text", text: "b" }] })
        .text,
    ).toBe("a\n[image]\nb");
    expect(resultText({ content: [], structuredContent: { t: 1 } }).text).toBe('{"t":1}');
    const cut = capBytes("я".repeat(5000), 8192);
    expect(cut.truncated).toBe(true);
    expect(cut.text).toBe("я".repeat(4096));
    expect(capBytes("ok", 8192)).toEqual({ text: "ok", truncated: false });
  });

  it("keeps only enabled tools of the snapshot and lists them in the visitor prompt", () => {
    const servers = snapshotServers([
      {
        id: "1",
        name: "crm",
        url: "https://x.example/mcp",
        headersSealed: null,
        adminChat: false,
        tools: [
          {
            name: "find",
            description: "Find a\nclient",
            inputSchema: { properties: { q: { type: "string" } }, required: ["q"] },
            enabled: true,
          },
          { name: "hidden", description: "", inputSchema: {}, enabled: false },
        ],
      },
      {
        id: "2",
        name: "empty",
        url: "https://y.example/mcp",
        headersSealed: null,
        adminChat: false,
        tools: [],
      },
    ]);
    expect(servers.map((s) => [s.name, s.tools.map((t) => t.name)])).toEqual([["crm", ["find"]]]);
    const section = mcpUserSection(servers);
    expect(section).toContain("- server=crm tool=find — Find a client. Arguments: q* (string)");
    expect(section).not.toContain("hidden");
    expect(mcpUserSection([])).toBe("");
  });
});
