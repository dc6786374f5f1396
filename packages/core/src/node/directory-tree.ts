import { createReadStream, type Dirent } from "node:fs";
import { opendir, stat } from "node:fs/promises";
import { join } from "node:path";
import { CocokitError } from "../errors.js";
import type { FileTree, TreeFile } from "../layouts/file-tree.js";
import type { Issue } from "../report/issue.js";
import { throwIfAborted } from "../zip/zip-archive.js";

// What a failed read found, by errno code, for the message.
const FOUND: Record<string, string> = {
  ENOENT: "nothing there (a broken symlink, or a file removed after the folder was listed)",
  EACCES: "one cocokit has no permission to read",
  EPERM: "one cocokit is not permitted to read",
  EISDIR: "a directory",
  ELOOP: "a loop of symlinks",
  ENOTDIR: "a path through something that is not a directory",
  ENAMETOOLONG: "a name too long for the file system",
};

/** The `unreadable_file` error for a file or folder the file system refused to read. */
export function unreadableFile(path: string, cause: unknown, what: "file" | "folder" = "file"): CocokitError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const found =
    (typeof code === "string" ? FOUND[code] : undefined) ??
    `an error: ${typeof code === "string" ? `${code}, ` : ""}${reason.slice(0, 200)}`;
  return new CocokitError("unreadable_file", `expected a readable ${what} at "${path}", found ${found}`, {
    file: path,
    cause,
  });
}

/** A file on disk as a tree file: streamed from the file system on each open. */
export function diskFile(absolute: string, path: string, size?: number): TreeFile {
  return {
    path,
    ...(size === undefined ? {} : { size }),
    open: (signal?: AbortSignal) => readDisk(absolute, path, signal),
  };
}

// A read that fails (permissions, a file gone or replaced since listing) throws `unreadable_file`
// naming the file, so the JSON pass reports it as an issue and goes on with the next file.
async function* readDisk(absolute: string, path: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(absolute, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    throwIfAborted(signal, path);
    throw unreadableFile(path, e);
  } finally {
    stream.destroy();
  }
}

/**
 * Lists every file under a directory (recursively) as a tree with `/`-separated relative paths.
 * JSON files get their size so progress can show a total. Only regular files are listed; what is
 * left out is reported in `issues` (`unreadable_file`): symlinks are not followed (a dataset
 * folder's link could point anywhere on the disk, and a saved dataset would copy what it points
 * to), FIFOs, sockets and devices are never opened (a FIFO would wait forever), a folder that
 * cannot be opened is named. Throws `unreadable_file` when the root itself cannot be read.
 */
export async function directoryTree(root: string, name = root): Promise<FileTree> {
  const listing = await listFolder(root, "", true);
  return { container: "directory", name, files: listing.files, issues: listing.issues };
}

/** Regular files of a folder (and its subfolders when `recursive`), with what was left out. */
export async function listFolder(
  dir: string,
  prefix: string,
  recursive: boolean,
): Promise<{ files: TreeFile[]; issues: Issue[] }> {
  const listing = { files: [] as TreeFile[], issues: [] as Issue[] };
  try {
    await walk(dir, prefix, recursive, listing, true);
  } catch (e) {
    throw unreadableFile(prefix === "" ? dir : prefix.slice(0, -1), e, "folder");
  }
  // The order of a folder listing depends on the file system; reports should not.
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  listing.files.sort((a, b) => byPath(a.path, b.path));
  listing.issues.sort((a, b) => byPath(a.file ?? "", b.file ?? ""));
  return listing;
}

/**
 * The regular files of a panoptic file's PNG folder (not recursive), with what was left out; no
 * folder at all lists nothing (each record wanting a PNG reports it missing), and a folder that
 * cannot be opened is one `unreadable_file` error.
 */
export async function listPngFolder(dir: string): Promise<{ files: TreeFile[]; issues: Issue[] }> {
  try {
    return await listFolder(dir, `${dir}/`, false);
  } catch (e) {
    const errno = (e as { cause?: { code?: unknown } }).cause?.code;
    if (errno === "ENOENT" || errno === "ENOTDIR") return { files: [], issues: [] };
    const message = e instanceof Error ? e.message : String(e);
    return { files: [], issues: [{ ...issueOf(dir, message), severity: "error" }] };
  }
}

async function walk(
  dir: string,
  prefix: string,
  recursive: boolean,
  out: { files: TreeFile[]; issues: Issue[] },
  top: boolean,
): Promise<void> {
  try {
    for await (const entry of await opendir(dir)) {
      const absolute = join(dir, entry.name);
      const path = prefix + entry.name;
      if (entry.isFile()) {
        const size = path.toLowerCase().endsWith(".json") ? await sizeOf(absolute) : undefined;
        out.files.push(diskFile(absolute, path, size));
      } else if (entry.isDirectory()) {
        // A folder named like an annotation file is most likely one that failed to be copied; in a
        // flat listing (a panoptic file's PNGs) any folder stands where a file was expected.
        if (!recursive || path.toLowerCase().endsWith(".json")) out.issues.push(leftOut(path, "a directory"));
        if (recursive) await walk(absolute, `${path}/`, recursive, out, false);
      } else out.issues.push(leftOut(path, await kindOf(entry, absolute)));
    }
  } catch (e) {
    if (top) throw e;
    const error = unreadableFile(prefix.slice(0, -1), e, "folder");
    out.issues.push({ ...issueOf(error.file ?? prefix, error.message), severity: "error" });
  }
}

async function sizeOf(absolute: string): Promise<number | undefined> {
  try {
    return (await stat(absolute)).size;
  } catch {
    // Its read will fail and say why; progress just goes without a total.
    return undefined;
  }
}

async function kindOf(entry: Dirent, absolute: string): Promise<string> {
  if (entry.isSymbolicLink()) {
    try {
      const target = await stat(absolute);
      return `a symlink to a ${target.isDirectory() ? "directory" : "file"}, which is not followed (a link in a dataset folder could point anywhere on the disk)`;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return code === "ELOOP" ? "a loop of symlinks" : "a broken symlink (its target does not exist)";
    }
  }
  if (entry.isFIFO()) return "a FIFO, which is never opened (reading it could wait forever)";
  if (entry.isSocket()) return "a socket, not a regular file";
  return "a device, not a regular file";
}

function leftOut(path: string, found: string): Issue {
  return {
    ...issueOf(path, `expected a regular file at "${path}", found ${found}; it was not read`),
    found,
  };
}

function issueOf(path: string, message: string): Issue {
  return {
    code: "unreadable_file",
    severity: "warning",
    message,
    path: [],
    pointer: "",
    file: path,
    expected: "a regular file",
    found: message.slice(0, 200),
  };
}
