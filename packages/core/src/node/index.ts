/**
 * @cocokit/core/node: file-system helpers (paths, directories, fs streams) for Node.
 * @module
 */

// --- import ---
export { directoryTree } from "./directory-tree.js";
// --- export ---
export type { ExportToPathOptions, ExportToPathResult } from "./export-to-path.js";
export { exportToPath } from "./export-to-path.js";
export { attachMediaFromPath, importPath, validatePath } from "./import-path.js";
export { NodeCompressionStream, useNodeZlib } from "./zip-codec.js";
