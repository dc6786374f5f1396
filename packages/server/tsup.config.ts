import { defineConfig } from "tsup";

export default defineConfig({
  // The worker thread is its own entry: the queue starts it from a file beside the bundle.
  entry: { index: "src/index.ts", serve: "src/serve.ts", worker: "src/jobs/thread/worker.ts" },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  clean: true,
  target: "node20",
  platform: "node",
});
