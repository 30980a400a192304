import { app } from "./app.ts";

export { DialogObject } from "./durable-objects/dialog-object.ts";
export { RateLimiter } from "./durable-objects/rate-limiter.ts";
export { TenantObject } from "./durable-objects/tenant-object.ts";
export default app;
