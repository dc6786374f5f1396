import { CocokitError } from "../errors.js";
import type { Issue } from "../report/issue.js";

/** One file entry of an opened zip archive (directories are not listed). */
export interface ZipEntryInfo {
  /** The entry's name as the archive stores it, `/`-separated. */
  path: string;
  /** Uncompressed size in bytes, as the central directory declares it. */
  size: number;
  compressedSize: number;
}

/**
 * An opened zip archive: its safe file entries, each readable as a stream of chunks. Opening throws
 * `overlapping_zip_entries` for entries that share bytes; reading an entry throws
 * `zip_entry_mismatch` when its local header disagrees with the central directory and
 * `zip_crc_mismatch` when its data does not have the declared CRC-32.
 */
export interface ZipArchive {
  /** File entries whose names are safe to use; unsafe ones are in `unsafe` and never read. */
  readonly entries: readonly ZipEntryInfo[];
  /** Entry names rejected as unsafe (`../x`, `/x`, `C:\x`). */
  readonly unsafe: readonly string[];
  /** Entries refused when the archive was opened (`duplicate_zip_entry`), as report issues. */
  readonly issues: readonly Issue[];
  /** Inflates one entry as chunks, enforcing the archive's limits while inflating. */
  open(entry: ZipEntryInfo, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

/** Limits that stop a zip bomb while it inflates. */
export interface ZipLimits {
  /** Most uncompressed bytes read from the whole archive (all entries, all reads). Default 64 GiB. */
  maxTotalBytes?: number;
  /** Most uncompressed bytes per compressed byte for one entry (checked past 1 MiB). Default 200. */
  maxRatio?: number;
  /** Most entries in the archive. Default 5,000,000. */
  maxEntries?: number;
}

/** Options of `openZip`. */
export interface OpenZipOptions extends ZipLimits {
  /** Name used in errors. */
  file?: string;
}

const DEFAULT_MAX_TOTAL = 64 * 1024 ** 3;
const DEFAULT_MAX_RATIO = 200;
const DEFAULT_MAX_ENTRIES = 5_000_000;
// Small entries compress extremely well (a 1 MB run of spaces is legal JSON padding); the ratio is
// only judged once an entry has produced this much, so tiny files never trip it.
const RATIO_GRACE_BYTES = 1 << 20;

/**
 * True when an entry name could escape the folder it is read into: a `..` segment, an absolute path
 * (`/x`, `\x`), a drive letter (`C:`), or a NUL byte.
 */
export function isUnsafeEntryName(name: string): boolean {
  if (name === "" || name.includes("\0")) return true;
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[\\/]/).some((segment) => segment === "..");
}

/** Counts inflated bytes across an archive and throws `zip_limit_exceeded` as soon as a limit is crossed. */
export class InflateBudget {
  private total = 0;
  private readonly maxTotal: number;
  private readonly maxRatio: number;
  readonly maxEntries: number;

  constructor(
    limits: ZipLimits,
    private readonly file?: string,
  ) {
    this.maxTotal = limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL;
    this.maxRatio = limits.maxRatio ?? DEFAULT_MAX_RATIO;
    this.maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** Checks the entry count before any entry is read. */
  checkEntries(count: number): void {
    if (count > this.maxEntries)
      throw this.error(`at most ${this.maxEntries} entries`, `${count} entries`, undefined);
  }

  /** Returns a counter for one entry read; call it with each inflated chunk's length. */
  entry(entry: ZipEntryInfo): (bytes: number) => void {
    let read = 0;
    return (bytes) => {
      read += bytes;
      this.total += bytes;
      if (this.total > this.maxTotal)
        throw this.error(
          `at most ${this.maxTotal} uncompressed bytes in the archive`,
          `more than ${this.total}`,
          entry.path,
        );
      if (read > entry.size && entry.size >= 0)
        throw this.overDeclared(entry, `more than ${read} bytes inflated`);
      if (read > RATIO_GRACE_BYTES && read > this.maxRatio * Math.max(entry.compressedSize, 1))
        throw this.error(
          `a compression ratio of at most ${this.maxRatio}:1`,
          `${read} bytes from ${entry.compressedSize} compressed`,
          entry.path,
        );
    };
  }

  /** The error for an entry that inflates past the size its headers declare (a lying zip bomb). */
  overDeclared(entry: ZipEntryInfo, found = "more bytes inflated"): CocokitError {
    return this.error(`at most the declared ${entry.size} bytes`, found, entry.path);
  }

  private error(expected: string, found: string, entry: string | undefined): CocokitError {
    const where = entry === undefined ? "" : ` in entry "${entry}"`;
    return new CocokitError(
      "zip_limit_exceeded",
      `expected ${expected}${where}, found ${found}; the archive looks like a zip bomb (raise the zip limits if it is genuine)`,
      { file: entry === undefined ? (this.file ?? "") : entry },
    );
  }
}

/** Wraps a library's failure to read an archive as `invalid_zip`. */
export function invalidZip(file: string | undefined, cause: unknown): CocokitError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CocokitError(
    "invalid_zip",
    `expected a readable zip archive, found one that cannot be read: ${reason.slice(0, 200)}`,
    { ...(file === undefined ? {} : { file }), cause },
  );
}

// One abort check for the whole package; the zip readers import it from here.
export { throwIfAborted } from "../progress/progress.js";
