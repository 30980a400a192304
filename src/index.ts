import { app } from "./app.ts";

export { DialogObject } from "./durable-objects/dialog-object.ts";
export { OutboxObject } from "./durable-objects/outbox-object.ts";
export { RateLimiter } from "./durable-objects/rate-limiter.ts";
export { TenantObject } from "./durable-objects/tenant-object.ts";
export { VisitorDirectory } from "./durable-objects/visitor-directory.ts";
export default app;
