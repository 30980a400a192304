/** Why talking to an MCP server failed, in words fit for the cabinet's "last error" (no secrets). */
import { redact } from "../../lib/redact.ts";
import type { McpFailure } from "./types.ts";

/** A remote failure with its kind; the message is safe to store and show to the owner. */
export class McpRemoteError extends Error {
  constructor(
    readonly reason: McpFailure,
    message: string,
  ) {
    super(message);
    this.name = "McpRemoteError";
  }
}

/** Classifies whatever the SDK or fetch threw. */
export function remoteFailure(err: unknown): McpRemoteError {
  if (err instanceof McpRemoteError) return err;
  const name = err instanceof Error ? err.name : "";
  const message = err instanceof Error ? err.message : String(err);
  if (name === "TimeoutError" || name === "AbortError" || /timed out|timeout/i.test(message)) {
    return new McpRemoteError("timeout", "The server did not answer in time.");
  }
  const clean = redact(message).replace(/\s+/g, " ").slice(0, 200);
  if (/fetch failed|connect|network|ECONNREFUSED|dns/i.test(message)) {
    return new McpRemoteError("unreachable", `Could not connect: ${clean}`);
  }
  return new McpRemoteError("protocol", `The server answered with an error: ${clean}`);
}
