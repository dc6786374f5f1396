import {
  CocokitError,
  type ImportResult,
  importDataset,
  isCocokitError,
  type ProgressEvent,
  planArchive,
} from "@cocokit/core";
import {
  type ExportToPathOptions,
  type ExportToPathResult,
  exportToPath,
  importPath,
} from "@cocokit/core/node";
import { createProgress } from "../output/progress.js";
import { inspectInput, jsonChunks } from "./input.js";
import { writeAtomically } from "./output.js";

/** Reads a dataset from a path or `-` (see {@link readDataset}) and keeps only the model. */
export async function loadDataset(
  path: string,
  options: { quiet: boolean; lenient?: boolean },
): Promise<ImportResult["dataset"]> {
  return (await readDataset(path, options)).dataset;
}

/** Reads a dataset from a path or `-`; strict unless `lenient`, with a progress bar on a TTY. */
export async function readDataset(
  path: string,
  options: { quiet: boolean; lenient?: boolean },
): Promise<ImportResult> {
  await inspectInput(path);
  const progress = createProgress(`reading ${path === "-" ? "stdin" : path}`, {
    quiet: options.quiet,
    unit: "bytes",
  });
  const importOptions = {
    mode: options.lenient === true ? ("lenient" as const) : ("strict" as const),
    // The bar counts JSON bytes, the longest phase.
    onProgress: (p: ProgressEvent) => {
      if (p.phase === "parse") progress.update(p.done, p.total);
    },
  };
  try {
    return path === "-"
      ? await importDataset(jsonChunks(path), { ...importOptions, name: "stdin.json" })
      : await importPath(path, importOptions);
  } catch (error) {
    throw namingInput(error, path === "-" ? "<stdin>" : path);
  } finally {
    progress.done();
  }
}

// An error about the input that does not say which file it is about (such as `not_coco` from a
// bare JSON) gets the input's name, so the printed message says where.
function namingInput(error: unknown, name: string): unknown {
  if (!isCocokitError(error) || error.file !== undefined || error.code === "internal_error") return error;
  return new CocokitError(error.code, error.message, {
    file: name,
    ...(error.pointer === undefined ? {} : { pointer: error.pointer }),
    ...(error.issues === undefined ? {} : { issues: error.issues }),
    cause: error,
  });
}

/**
 * Writes a dataset as `.zip`, `.json` or a directory (core's export, atomic), or as one JSON
 * document streamed to stdout for `-`; returns what was written.
 */
export async function saveDataset(
  dataset: ImportResult["dataset"],
  output: string,
  options: ExportToPathOptions = {},
): Promise<ExportToPathResult> {
  if (output === "") throw new CocokitError("usage_error", "expected an output path (-o <path>), found none");
  if (output !== "-") return exportToPath(dataset, output, options);
  // stdout: core streams the document straight out. It checks the dataset and picks the one task
  // file before the first byte, so a dataset that cannot be written prints nothing.
  const { compression: _compression, overwrite: _overwrite, ...exportOptions } = options;
  const plan = planArchive(dataset, { ...exportOptions, container: "json" });
  await writeAtomically("-", plan.stream());
  return { path: "-", kind: "json", files: ["-"], report: plan.report };
}

/** Parses `a,b,c` lists from flags, trimming blanks. */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}
