import { CocokitError } from "../errors.js";
import type { Issue } from "../report/issue.js";
import type { CentralRecord } from "./entry-checks.js";
import { isUnsafeEntryName } from "./zip-archive.js";

// The fixed part of a local file header; an entry occupies at least this, its name and its data.
const LOCAL_HEADER = 30;

/**
 * Throws `overlapping_zip_entries` when two entries claim the same bytes: each entry occupies at
 * least [local header offset, offset + 30 + name + compressed size), the shortest extent its
 * central record allows, so no honest archive trips it. This is the shape of an overlapping zip
 * bomb (David Fifield, "A better zip bomb"): many central entries reading one compressed kernel, or
 * each entry's data quoting the next one's header. O(n) when offsets ascend (every writer's order),
 * O(n log n) otherwise; local headers are not read.
 */
export function checkOverlaps(records: readonly CentralRecord[], file?: string): void {
  const n = records.length;
  let ascending = true;
  for (let i = 1; i < n && ascending; i++)
    ascending = (records[i] as CentralRecord).offset >= (records[i - 1] as CentralRecord).offset;
  let order: Uint32Array | undefined;
  if (!ascending) {
    const offsets = Float64Array.from(records, (r) => r.offset);
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (offsets[a] as number) - (offsets[b] as number));
  }
  let reach = -1;
  let owner: CentralRecord | undefined;
  let first: [CentralRecord, CentralRecord] | undefined;
  let overlaps = 0;
  for (let k = 0; k < n; k++) {
    const r = records[order ? (order[k] as number) : k] as CentralRecord;
    const end = r.offset + LOCAL_HEADER + r.rawName.length + r.compressedSize;
    if (owner && r.offset < reach) {
      overlaps++;
      first ??= [owner, r];
    }
    if (end > reach) {
      reach = end;
      owner = r;
    }
  }
  if (!first) return;
  const [a, b] = first;
  const more = overlaps > 1 ? ` (and ${overlaps - 1} more overlapping entries)` : "";
  throw new CocokitError(
    "overlapping_zip_entries",
    `expected every zip entry to have bytes of its own, found ${describe(b)} inside ${describe(a)}${more}; entries sharing data are how overlapping zip bombs multiply their size, so the archive was not read`,
    file === undefined ? {} : { file },
  );
}

function describe(r: CentralRecord): string {
  const end = r.offset + LOCAL_HEADER + r.rawName.length + r.compressedSize;
  return `"${short(r.path)}" (entry ${r.index + 1}, bytes ${r.offset}-${end - 1})`;
}

function short(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * The name two entries collide on once empty and `.` segments are dropped (`a/./b` and `a//b` are
 * `a/b`, as jszip and any extractor resolve them).
 */
export function nameKey(path: string): string {
  // Nearly every name has nothing to drop; splitting them all would triple the cost.
  if (!path.includes("//") && !path.includes("/./") && !path.startsWith("./") && !path.endsWith("/."))
    return path;
  return path
    .split("/")
    .filter((segment) => segment !== "" && segment !== ".")
    .join("/");
}

/**
 * Splits file entries into those whose name is unique and `duplicate_zip_entry` issues for the
 * rest: every entry of a repeated name is refused, since picking one (jszip keeps the last, a map
 * keeps whichever came last) would be a silent guess at what the archive means. O(n); `byKey`
 * finds a kept entry by `nameKey(path)`, so readers need no second map of a million names.
 */
export function refuseDuplicates<T extends Pick<CentralRecord, "path" | "index">>(
  records: readonly T[],
): { unique: T[]; issues: Issue[]; byKey: Map<string, T> } {
  const firstOf = new Map<string, T>();
  const groups = new Map<string, T[]>();
  for (const r of records) {
    const key = nameKey(r.path);
    const seen = firstOf.get(key);
    if (!seen) firstOf.set(key, r);
    else {
      const group = groups.get(key);
      if (group) group.push(r);
      else groups.set(key, [seen, r]);
    }
  }
  if (groups.size === 0) return { unique: [...records], issues: [], byKey: firstOf };
  const refused = new Set<T>();
  const issues: Issue[] = [];
  for (const [key, group] of groups) {
    firstOf.delete(key);
    for (const r of group) refused.add(r);
    const first = group[0] as T;
    const spellings = [...new Set(group.map((r) => r.path))];
    const which = `entries ${group.map((r) => r.index + 1).join(", ")}`;
    const named =
      spellings.length === 1 ? which : `${which}: ${spellings.map((s) => `"${short(s)}"`).join(", ")}`;
    issues.push({
      code: "duplicate_zip_entry",
      severity: "error",
      message: `expected one zip entry named "${short(first.path)}", found ${group.length} (${named}); none was read, since picking one would be a guess`,
      path: [],
      pointer: "",
      file: first.path,
      expected: "one entry per name",
      found: `${group.length} entries (${which})`,
    });
  }
  return { unique: records.filter((r) => !refused.has(r)), issues, byKey: firstOf };
}

/**
 * The central records an archive lists, sorted as both readers need them: directories dropped,
 * names that could escape the archive set apart (never read), and the rest through
 * `refuseDuplicates`.
 */
export function sortEntries<T extends Pick<CentralRecord, "path" | "index"> & { directory: boolean }>(
  records: readonly T[],
): { unsafe: string[]; unique: T[]; issues: Issue[]; byKey: Map<string, T> } {
  const unsafe: string[] = [];
  const safe: T[] = [];
  for (const record of records) {
    if (record.directory) continue;
    if (isUnsafeEntryName(record.path)) unsafe.push(record.path);
    else safe.push(record);
  }
  return { unsafe, ...refuseDuplicates(safe) };
}
