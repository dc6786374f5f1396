import type { TreeFile } from "../layouts/file-tree.js";

const IMAGE_EXTENSIONS = new Set([
  "jpg",
  "jpeg",
  "jpe",
  "jfif",
  "png",
  "bmp",
  "gif",
  "webp",
  "tif",
  "tiff",
  "avif",
  "heic",
  "heif",
]);

/** The image files of a tree, indexed by path, by path without extension, and by base name. */
export class ImageIndex {
  readonly byPath = new Map<string, TreeFile>();
  private readonly byStem = new Map<string, TreeFile[]>();
  private readonly byBase = new Map<string, TreeFile[]>();

  /** Indexes image files, leaving out annotation folders (panoptic PNGs are not photos). */
  constructor(files: readonly TreeFile[]) {
    for (const file of files) {
      if (!isImagePath(file.path) || /(^|\/)[^/]*annotations\//i.test(file.path)) continue;
      this.byPath.set(file.path, file);
      push(this.byStem, stripExtension(file.path), file);
      push(this.byBase, baseName(file.path), file);
    }
  }

  get size(): number {
    return this.byPath.size;
  }

  /** Files whose path without extension is `stem`. */
  stem(stem: string): readonly TreeFile[] {
    return this.byStem.get(stem) ?? [];
  }

  /** Files whose base name is `name`. */
  base(name: string): readonly TreeFile[] {
    return this.byBase.get(name) ?? [];
  }
}

function push(map: Map<string, TreeFile[]>, key: string, file: TreeFile): void {
  const list = map.get(key);
  if (list) list.push(file);
  else map.set(key, [file]);
}

/** True for a path with an image extension (case-insensitive). */
export function isImagePath(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") && IMAGE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/** The path without its last extension (`a/b.c.jpg` → `a/b.c`). */
export function stripExtension(path: string): string {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") ? path.slice(0, dot) : path;
}

/** The last segment of a `/` or `\` separated path. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}
