import { join } from "node:path";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    workerPath: string;
  }
}

/**
 * Tests run the TypeScript sources, but a worker thread needs JavaScript: bundle the job worker
 * once (dependencies stay external, resolved from this package) and tell the tests where it is.
 */
export default async function setup(project: TestProject): Promise<void> {
  const outfile = join(
    import.meta.dirname,
    "..",
    "node_modules",
    ".cache",
    "cocokit-server-test",
    "worker.js",
  );
  await build({
    entryPoints: [join(import.meta.dirname, "..", "src", "jobs", "thread", "worker.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  project.provide("workerPath", outfile);
}
