import { defineConfig } from "vitest/config";

/**
 * The shared suite (`npm run test:shared`): the tests against third-party data in ../shared/data (the Toucan
 * crawl, tau-bench's tool specs, official chat templates). It fails, never skips, when that folder is missing.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.shared.test.ts"],
    globalSetup: ["test/helpers/require-shared-data.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
