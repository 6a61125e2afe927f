import { configDefaults, defineConfig } from "vitest/config";

/** Our own tests (`npm test`): everything they need is in the repository. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, "test/**/*.shared.test.ts", "test/**/*.browser.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
