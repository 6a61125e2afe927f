import { defineConfig } from "vitest/config";
import { requireSharedData } from "./test/helpers/require-shared-data.js";

// Without the third-party data the suite fails at once, saying what is missing; it never skips.
requireSharedData();

/**
 * The shared suite (`npm run test:shared`): the tests against third-party data in ../shared/data (the Toucan
 * crawl, tau-bench's tool specs, official chat templates), in `*.shared.test.ts` files beside our own tests.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.shared.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
