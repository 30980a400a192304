import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { AppError } from "../errors.ts";
import { zodIssues } from "./validation.ts";

/**
 * A sub-app whose zod-validated routes also feed the OpenAPI document. A failed validation throws, so
 * the single `onError` answers it (422 with the field issues).
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("validation_failed", "The request is not valid.", {
          issues: zodIssues(result.error),
        });
      }
    },
  });
}
