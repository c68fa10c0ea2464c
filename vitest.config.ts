import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["gateway/test/**/*.test.ts", "contracts/test/**/*.test.ts", "clients/*/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Ring files are large shared-memory mappings; keep parallelism modest on 2-core machines.
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: ".ci/vitest-report.json" },
  },
});
