import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    projects: ["packages/*", "test"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
