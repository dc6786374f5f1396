/**
 * @cocokit/core/node: file-system helpers (paths, directories, fs streams) for Node.
 * @module
 */

// --- import ---

// --- export ---
