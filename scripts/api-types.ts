/**
 * `npm run api:types`: writes the API's types from the app's OpenAPI document: test/api-client/cip-api.d.ts
 * (the typed client's, not committed) and web/shared/api-types.gen.ts (the web pages', committed).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  API_TYPES_FILE,
  generateApiTypes,
  generateWebApiTypes,
  WEB_API_TYPES_FILE,
} from "./lib/api-types.ts";
import { buildOpenApiDocument } from "./lib/openapi-document.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const document = await buildOpenApiDocument();
writeFileSync(`${root}${API_TYPES_FILE}`, await generateApiTypes(document));
console.log(`wrote ${API_TYPES_FILE}`);
writeFileSync(`${root}${WEB_API_TYPES_FILE}`, await generateWebApiTypes(document));
console.log(`wrote ${WEB_API_TYPES_FILE}`);
