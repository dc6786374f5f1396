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
export type { NodeCompressionOptions } from "./zip-codec.js";
export { NodeCompressionStream, NodeDecompressionStream, useNodeZlib } from "./zip-codec.js";
