import type { DecodedPng } from "../import/import-options.js";
import type { LayoutAnnotationFile } from "../layouts/detect-layout.js";
import { type FileTree, readAll, type TreeFile } from "../layouts/file-tree.js";
import { decodePanopticPng } from "./decode-png.js";

/**
 * Builds the `readPanopticPng(subset, fileName)` callback of `importFiles` for a tree: the PNG is
 * `<panoptic json without .json>/<fileName>` (spec datumaro-coco §3.6), decoded to RGB.
 * Resolves to undefined when no such file exists; throws `invalid_png` when it cannot be decoded.
 */
export function panopticPngReader(
  tree: FileTree,
  files: readonly LayoutAnnotationFile[],
  signal?: AbortSignal,
): ((subset: string, fileName: string) => Promise<DecodedPng | undefined>) | undefined {
  const dirs = new Map<string, string[]>();
  for (const f of files) {
    if (!f.pngDir) continue;
    const list = dirs.get(f.subset);
    if (list) list.push(f.pngDir);
    else dirs.set(f.subset, [f.pngDir]);
  }
  if (dirs.size === 0) return undefined;
  const byPath = new Map<string, TreeFile>(tree.files.map((f) => [f.path, f]));
  return async (subset, fileName) => {
    for (const dir of dirs.get(subset) ?? []) {
      const file = byPath.get(dir + fileName.replaceAll("\\", "/"));
      if (file) return decodePanopticPng(await readAll(file, signal), file.path);
    }
    return undefined;
  };
}
