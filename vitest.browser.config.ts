/**
 * Browser tests (`npm run test:browser`): plain Node, not the Workers pool. The global setup boots
 * `npm run dev` on free ports and a third-party page on another origin; each file drives Debian's
 * Chromium (/usr/bin/chromium) with playwright-core. Files run one after another (one dev stack, 2 cores).
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.spec.ts"],
    globalSetup: ["./test/browser/global-setup.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
