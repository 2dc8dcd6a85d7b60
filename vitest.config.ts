import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["sim/**/*.test.ts", "storage/**/*.test.ts", "service/**/*.test.ts", "protocols/**/*.test.ts", "live/**/*.test.ts", "analysis/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
