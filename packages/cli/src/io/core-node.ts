import { CocokitError, type Dataset, type Report } from "@cocokit/core";

// TEMPORARY adapter: core's import/export (`importPath`, `validatePath`, `validateDataset`,
// `exportToPath`, `exportDataset`) are being written in parallel with the CLI. They are looked
// up at run time against the planned contract, so commands that do not need them (stats on JSON,
// rle) build and run today. Once they land, replace this file with static imports.

/** What the CLI uses from an import: the planned `ImportResult`. */
export interface ImportResult {
  dataset: Dataset;
  report: Report;
  layout?: unknown;
}

/** Options the CLI passes to core import and validation. */
export interface ImportOptions {
  mode?: "strict" | "lenient";
  onProgress?: (progress: { bytesRead: number; totalBytes?: number; records: number }) => void;
}

/** Options the CLI passes to core export. */
export interface ExportOptions {
  tasks?: string[];
  segmentationMode?: "guess" | "polygons" | "mask";
  reindex?: boolean;
  saveMedia?: boolean;
  compressRle?: boolean;
  mode?: "strict" | "lenient";
}

interface CoreIo {
  importPath(path: string, options?: ImportOptions): Promise<ImportResult>;
  validatePath(path: string, options?: ImportOptions): Promise<Report>;
  importDataset(input: AsyncIterable<Uint8Array>, options?: ImportOptions): Promise<ImportResult>;
  validateDataset(input: AsyncIterable<Uint8Array>, options?: ImportOptions): Promise<Report>;
  exportToPath(dataset: Dataset, path: string, options?: ExportOptions): Promise<unknown>;
  exportDataset(dataset: Dataset, options?: ExportOptions & { layout?: string }): unknown;
}

/** One function of core's import/export, or a clear error when this build of core lacks it. */
export async function coreIo<K extends keyof CoreIo>(name: K): Promise<CoreIo[K]> {
  const [main, node] = await Promise.all([import("@cocokit/core"), import("@cocokit/core/node")]);
  const found = (node as Record<string, unknown>)[name] ?? (main as Record<string, unknown>)[name];
  if (typeof found !== "function") {
    throw new CocokitError(
      "not_available",
      `this build of @cocokit/core has no ${name}() yet; update @cocokit/core`,
    );
  }
  return found as CoreIo[K];
}
