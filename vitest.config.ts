import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    // Two cores: the end-to-end tests start chains and indexers of their own.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
