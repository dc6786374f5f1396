import { defineConfig } from "tsup";

export default defineConfig({
  // The schemas get an entry of their own so that esbuild's code splitting puts them in a chunk of
  // their own: index.js only re-exports it, and a bundler drops it (with zod) for a page that never
  // validates with them ("sideEffects": false). In index.js itself their top-level calls would stay.
  entry: {
    index: "src/index.ts",
    "node/index": "src/node/index.ts",
    "coco/schemas": "src/coco/schemas.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  // The main entry is browser-safe; only node/index may import node:* (checked by a test).
  platform: "node",
});
