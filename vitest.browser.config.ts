import { defineConfig } from "vitest/config";
import { requireChromium } from "./test/browser/chromium.js";

// Without Chromium the suite fails at once, saying how to install it; it never skips.
requireChromium();

/**
 * The browser suite (`npm run test:browser`): the HTML report opened in Debian's Chromium, driven by
 * playwright-core, in `*.browser.test.ts` files.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.browser.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
  },
});
