import { exportDataset } from "../../src/export/export-dataset.js";
import type { ExportOptions } from "../../src/export/export-options.js";
import type { Dataset } from "../../src/model/types.js";

/** Every file of an export: JSON files parsed, other files as bytes. */
export async function exportedFiles(
  dataset: Dataset,
  options?: ExportOptions,
): Promise<Record<string, ReturnType<typeof JSON.parse>>> {
  const out: Record<string, unknown> = {};
  for (const f of exportDataset(dataset, options).files) {
    const parts: Uint8Array[] = [];
    for await (const c of f.open()) parts.push(c);
    const bytes = Buffer.concat(parts);
    out[f.path] = f.path.endsWith(".json") ? JSON.parse(bytes.toString("utf8")) : bytes;
  }
  return out;
}
