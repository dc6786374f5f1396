import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  // The worker imports core, which splits its zip libraries into chunks: workers must be ES modules.
  worker: { format: "es" },
  build: { outDir: "dist", target: "es2022" },
  test: {
    include: ["test/**/*.test.ts", "e2e/**/*.test.ts"],
    restoreMocks: true,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
