import type { Bindings } from "../src/env.ts";

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts");
    }
    interface Env extends Bindings {
      TEST_DIRECT_DATABASE_URL: string;
      TEST_NEON_WS_PROXY: string;
      TEST_DATABASE_HOST: string;
      TEST_MAIL_API: string;
      TEST_WEBHOOK_RECEIVER: string;
      TEST_MCP_SERVER: string;
    }
  }
}
