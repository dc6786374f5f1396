import { CocokitError } from "../errors.js";
import { type FileTree, readAll, type TreeFile } from "../layouts/file-tree.js";

/**
 * Where image bytes come from, by `MediaRef.path`: the side table that keeps a `Dataset` plain
 * data. Import returns one for the zip or folder it read (`ImportResult.mediaFiles`),
 * `attachMedia` one for the images it matched, and export reads from it (`ExportOptions.media`).
 */
export interface MediaFiles {
  /** The file's bytes; throws `CocokitError` `input_not_found` when there is no such file. */
  read(path: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** True when the table has a file at `path`. */
  has(path: string): boolean;
}

/**
 * Image bytes held in memory, by path. The map itself is plain data (it survives
 * `structuredClone` and `postMessage`), so a worker can send it and the receiver wrap it again.
 * @example
 * const media = mediaFilesFromMap(new Map([["images/a.jpg", jpegBytes]]));
 * await exportDataset(dataset, { saveMedia: true, media });
 */
export function mediaFilesFromMap(files: ReadonlyMap<string, Blob | Uint8Array>): MediaFiles {
  return {
    has: (path) => files.has(path),
    read: async (path) => {
      const file = files.get(path);
      if (file === undefined) throw missing(path, "the media map");
      return file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
    },
  };
}

/** The files of a zip or directory tree, read on demand (each read streams the file again). */
export function mediaFilesOfTree(tree: FileTree): MediaFiles {
  const byPath = new Map<string, TreeFile>(tree.files.map((f) => [f.path, f]));
  return {
    has: (path) => byPath.has(path),
    read: (path, signal) => {
      const file = byPath.get(path);
      if (!file) return Promise.reject(missing(path, tree.name));
      return readAll(file, signal);
    },
  };
}

/**
 * One table over several: the first that has a path answers. `attachMedia` of a second images
 * folder joins its table to the import's this way.
 */
export function joinMediaFiles(...tables: readonly (MediaFiles | undefined)[]): MediaFiles {
  const present = tables.filter((t): t is MediaFiles => t !== undefined);
  return {
    has: (path) => present.some((t) => t.has(path)),
    read: (path, signal) => {
      const table = present.find((t) => t.has(path));
      return table ? table.read(path, signal) : Promise.reject(missing(path, "the media files"));
    },
  };
}

function missing(path: string, where: string): CocokitError {
  return new CocokitError(
    "input_not_found",
    `expected an image file "${path.slice(0, 200)}" in ${where}, found none`,
    { file: path },
  );
}
