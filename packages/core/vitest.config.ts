import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Tests run against the workspace source of @cocokit/rle, so a change there is seen without a rebuild.
    alias: { "@cocokit/rle": fileURLToPath(new URL("../rle/src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    restoreMocks: true,
    testTimeout: 60_000,
  },
});
