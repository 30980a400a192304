import { app } from "./app.ts";

export { DialogObject } from "./durable-objects/dialog-object.ts";
export default app;
