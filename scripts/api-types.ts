/** `npm run api:types`: writes test/api-client/cip-api.d.ts, the API's types, from the app's OpenAPI document. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { API_TYPES_FILE, generateApiTypes } from "./lib/api-types.ts";
import { buildOpenApiDocument } from "./lib/openapi-document.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
writeFileSync(`${root}${API_TYPES_FILE}`, await generateApiTypes(await buildOpenApiDocument()));
console.log(`wrote ${API_TYPES_FILE}`);
