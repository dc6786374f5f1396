import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CocokitError, type ImportResult, importDataset } from "@cocokit/core";
import { type ExportToPathOptions, exportToPath, importPath } from "@cocokit/core/node";
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
    onProgress: (p: { bytesRead: number; totalBytes?: number }) => progress.update(p.bytesRead, p.totalBytes),
  };
  try {
    return path === "-"
      ? await importDataset(jsonChunks(path), { ...importOptions, name: "stdin.json" })
      : await importPath(path, importOptions);
  } finally {
    progress.done();
  }
}

/**
 * Writes a dataset as `.zip`, `.json` or a directory (core's export, atomic), or as one JSON
 * document on stdout for `-`.
 */
export async function saveDataset(
  dataset: ImportResult["dataset"],
  output: string,
  options: ExportToPathOptions = {},
): Promise<void> {
  if (output === "") throw new CocokitError("usage_error", "expected an output path (-o <path>), found none");
  if (output !== "-") {
    await exportToPath(dataset, output, options);
    return;
  }
  // stdout: export to a private temporary file, then stream it, so stdout gets all or nothing.
  const dir = await mkdtemp(join(tmpdir(), "cocokit-"));
  try {
    const file = join(dir, "dataset.json");
    await exportToPath(dataset, file, options);
    await writeAtomically("-", createReadStream(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Parses `a,b,c` lists from flags, trimming blanks. */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}
