import { isCocokitError } from "../errors.js";
import type { FileTree, TreeFile } from "../layouts/file-tree.js";
import type { Issue } from "../report/issue.js";

/** A tree whose reads report problems as issues while `guarding`, then throw as usual. */
export interface GuardedTree {
  tree: FileTree;
  /** One issue per file whose read failed while guarded. */
  issues: Issue[];
  /** Ends the guarded phase: later reads (`mediaFiles.read(path)`) throw their errors. */
  release(): void;
}

/**
 * Wraps a tree for the media pass, where image headers are read for sizes: one unreadable, damaged
 * or bomb-like image (`unreadable_file`, `zip_crc_mismatch`, `zip_limit_exceeded`, …) becomes an
 * issue naming it instead of failing the whole import. A failed read yields nothing of its last
 * chunk, so an entry whose CRC-32 fails at its end gives the size reader no bytes to trust.
 */
export function guardReads(tree: FileTree): GuardedTree {
  let guarding = true;
  const issues: Issue[] = [];
  const failed = new Set<string>();
  const guard = (file: TreeFile): TreeFile => ({
    ...file,
    open: (signal?: AbortSignal) => (guarding ? guarded(file, signal) : file.open(signal)),
  });
  async function* guarded(file: TreeFile, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    let held: Uint8Array | undefined;
    try {
      for await (const chunk of file.open(signal)) {
        if (held) yield held;
        held = chunk;
      }
    } catch (e) {
      if (!isCocokitError(e) || e.code === "aborted") throw e;
      if (!failed.has(file.path)) {
        failed.add(file.path);
        issues.push({
          code: e.code as Issue["code"],
          severity: "error",
          message: e.message,
          path: [],
          pointer: "",
          file: e.file ?? file.path,
          expected: "a readable image file",
          found: e.message.slice(0, 200),
        });
      }
      return;
    }
    if (held) yield held;
  }
  return {
    tree: { ...tree, files: tree.files.map(guard) },
    issues,
    release: () => {
      guarding = false;
    },
  };
}
