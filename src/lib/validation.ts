import type { z } from "zod";
import type { FieldIssue } from "../errors.ts";

/** Turns zod issues into `{path, message}` pairs a form can show next to its fields. */
export function zodIssues(err: z.ZodError): FieldIssue[] {
  return err.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}
