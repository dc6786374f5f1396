import { taskFromFileName } from "../coco/tasks.js";
import { CocokitError } from "../errors.js";
import type { CocoTask } from "../model/types.js";
import type { FileTree, TreeFile } from "./file-tree.js";

/**
 * The dataset layouts cocokit reads:
 * - `json`: one bare COCO JSON file of any name;
 * - `coco`: CVAT's and Datumaro's `annotations/<task>_<subset>.json` with `images/<subset>/…` or `images/…`;
 * - `mmdet`: `annotations/instances_<subset>.json` with images in `<subset>/…` (no `images/` folder);
 * - `roboflow`: `<split>/_annotations.coco.json` with the split's images beside it.
 */
export type LayoutName = "json" | "coco" | "mmdet" | "roboflow";

/** One annotation file of a layout, with where its images and panoptic PNGs are looked for. */
export interface LayoutAnnotationFile {
  file: TreeFile;
  /** Task from the file name; undefined = found from the content. */
  task?: CocoTask;
  subset: string;
  /** Folders (tree paths ending in `/`, or `` for the root) searched for images, best first. */
  imageDirs: string[];
  /** Folder of a panoptic file's PNGs (`annotations/panoptic_<subset>/`). */
  pngDir?: string;
}

/** What was found in an input: its layout and the annotation files to read. */
export interface Layout {
  name: LayoutName;
  container: FileTree["container"];
  /** Annotation files in the order they are read (sorted by path). */
  files: LayoutAnnotationFile[];
}

/** Description of the accepted names, used in `annotations_not_found` messages. */
const EXPECTED_NAMES =
  "annotations/<task>_<subset>.json (task: instances, person_keypoints, captions, labels, image_info, panoptic, stuff; " +
  "CVAT, Datumaro, mmdet) or <split>/_annotations.coco.json (Roboflow)";

const ROBOFLOW_NAME = "_annotations.coco.json";

function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash + 1);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Finds the layout of a zip or directory and the annotation files to read, following Datumaro's
 * rules (spec datumaro-coco §2): a task file must sit in a folder whose name ends with
 * `annotations` (any depth; case-insensitive here); its subset is the name after `<task>_`. Every
 * task file is read, also when several label tasks exist. A single file is the `json` layout.
 * Throws `annotations_not_found` naming the expected and the found files.
 * @example
 * const layout = detectLayout(treeFromZip(await openZip(bytes), "ds.zip")); // { name: "coco", files: [...] }
 */
export function detectLayout(tree: FileTree): Layout {
  if (tree.container === "file") {
    const file = tree.files[0];
    if (!file) throw notFound(tree);
    const { task, subset } = taskFromFileName(file.path);
    return {
      name: "json",
      container: "file",
      files: [{ file, ...(task ? { task } : {}), subset, imageDirs: [], ...pngDirOf(file.path, task) }],
    };
  }
  const dirs = new Set<string>();
  for (const file of tree.files) {
    for (let at = file.path.indexOf("/"); at >= 0; at = file.path.indexOf("/", at + 1))
      dirs.add(file.path.slice(0, at + 1));
  }
  const coco: LayoutAnnotationFile[] = [];
  const roboflow: LayoutAnnotationFile[] = [];
  let mmdet = 0;
  for (const file of tree.files) {
    if (!file.path.toLowerCase().endsWith(".json")) continue;
    const parent = parentOf(file.path);
    const base = baseName(file.path);
    if (base === ROBOFLOW_NAME) {
      const split = baseName(parent.slice(0, -1));
      roboflow.push({
        file,
        task: "instances",
        subset: split === "" ? "default" : split,
        imageDirs: [parent],
      });
      continue;
    }
    const { task, subset } = taskFromFileName(base);
    if (!task || !/annotations\/$/i.test(parent)) continue;
    const root = parentOf(parent.slice(0, -1));
    const hasImagesDir = dirs.has(`${root}images/`);
    const isMmdet = !hasImagesDir && task === "instances" && dirs.has(`${root}${subset}/`);
    if (isMmdet) mmdet++;
    coco.push({
      file,
      task,
      subset,
      imageDirs: isMmdet ? [`${root}${subset}/`] : [`${root}images/${subset}/`, `${root}images/`],
      ...pngDirOf(file.path, task),
    });
  }
  const files = coco.length > 0 ? coco : roboflow;
  if (files.length === 0) throw notFound(tree);
  files.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
  const name: LayoutName = coco.length === 0 ? "roboflow" : mmdet === coco.length ? "mmdet" : "coco";
  return { name, container: tree.container, files };
}

function pngDirOf(path: string, task: CocoTask | undefined): { pngDir?: string } {
  // Datumaro: a panoptic file's PNGs are in the folder named like the file without `.json`.
  return task === "panoptic" ? { pngDir: `${path.replace(/\.json$/i, "")}/` } : {};
}

function notFound(tree: FileTree): CocokitError {
  const json = tree.files.filter((f) => f.path.toLowerCase().endsWith(".json")).map((f) => f.path);
  const shown = (json.length > 0 ? json : tree.files.map((f) => f.path)).slice(0, 10);
  const more = (json.length > 0 ? json.length : tree.files.length) - shown.length;
  // Entries refused or left out while listing (a repeated zip name, a symlink) may be the very
  // annotation file; say so rather than report an empty input.
  const refused = [
    ...(tree.unsafe ?? []).map((name) => ({ file: name, code: "unsafe_zip_entry" })),
    ...(tree.issues ?? []).map((i) => ({ file: i.file ?? "", code: i.code })),
  ];
  const found =
    tree.files.length === 0
      ? refused.length > 0
        ? "no file it could read"
        : `an empty ${tree.container}`
      : `${json.length > 0 ? "JSON files" : "no JSON file; files"}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
  const notRead =
    refused.length === 0
      ? ""
      : `; not read: ${refused
          .slice(0, 5)
          .map((r) => `${r.file} (${r.code})`)
          .join(", ")}${refused.length > 5 ? ` and ${refused.length - 5} more` : ""}`;
  return new CocokitError(
    "annotations_not_found",
    `expected a file named ${EXPECTED_NAMES} in "${tree.name}", found ${found}${notRead}`,
    { file: tree.name, ...(tree.issues?.length ? { issues: tree.issues } : {}) },
  );
}
