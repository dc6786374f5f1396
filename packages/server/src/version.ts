import { createRequire } from "node:module";

// src/ and dist/ are both one level below the package root.
const pkg = createRequire(import.meta.url)("../package.json") as { version: string };

/** The version of `@cocokit/server`. */
export const VERSION: string = pkg.version;
