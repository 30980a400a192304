/** Shapes of the owner's MCP servers (docs/mcp.md): the cabinet routes and their limits. */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";

export { TenantIdParam };

/** A server's name as the model writes it (`server=<name>`). */
export const MCP_SERVER_NAME = /^[a-z0-9_-]{1,32}$/;
/** Servers per tenant beyond this are refused (409). */
export const MAX_MCP_SERVERS_PER_TENANT = 10;
/** Headers per server, and the longest value. */
export const MAX_MCP_HEADERS = 10;
export const MAX_MCP_HEADER_VALUE = 4000;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

export const McpServerParams = TenantIdParam.extend({
  server_id: z.uuid().openapi({ param: { name: "server_id", in: "path" } }),
});

const HeadersInput = z
  .record(
    z.string().regex(HEADER_NAME, "Not a header name"),
    z
      .string()
      .max(MAX_MCP_HEADER_VALUE)
      .regex(/^[^\r\n\0]*$/, "A header value is one line"),
  )
  .refine((h) => Object.keys(h).length <= MAX_MCP_HEADERS, `At most ${MAX_MCP_HEADERS} headers`)
  .openapi({
    description: "Request headers sent to this server only (e.g. Authorization); secrets, never returned",
    example: { Authorization: "Bearer …" },
  });

export const McpServerCreateBody = z
  .object({
    name: z.string().regex(MCP_SERVER_NAME, "Use 1-32 of a-z, 0-9, _ and -").openapi({ example: "crm" }),
    url: z.string().min(1).max(2000).openapi({ example: "https://mcp.example.com/mcp" }),
    headers: HeadersInput.optional(),
  })
  .strict()
  .openapi("McpServerCreate");

export const McpServerPatchBody = z
  .object({
    enabled: z.boolean().optional(),
    admin_chat: z.boolean().optional().openapi({ description: "Let the setup chat call these tools too" }),
    tools: z
      .record(z.string().min(1).max(128), z.boolean())
      .optional()
      .openapi({ description: "Tool name → on/off", example: { get_weather: false } }),
  })
  .strict()
  .openapi("McpServerPatch");

export const McpToolSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    input_schema: z.record(z.string(), z.unknown()).openapi({ description: "The tool's JSON Schema" }),
  })
  .openapi("McpTool");

export const McpServerSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    url: z.string(),
    enabled: z.boolean(),
    admin_chat: z.boolean().openapi({ description: "The setup chat may call these tools too" }),
    header_names: z.array(z.string()).openapi({ description: "Which headers are set (values never shown)" }),
    tools: z.array(McpToolSchema),
    last_error: z
      .string()
      .nullable()
      .openapi({ description: "Why the last listing failed; null after a success" }),
    listed_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("McpServer");

export type McpServerItem = z.infer<typeof McpServerSchema>;

export const McpServerListSchema = z.object({ items: z.array(McpServerSchema) }).openapi("McpServerList");
