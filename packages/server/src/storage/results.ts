import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Storage } from "./storage.js";

/** Where jobs' result files go inside the data folder. */
export function resultsDir(dataDir: string): string {
  return join(dataDir, "results");
}

/** The storage key of a job's result file (`results/job-7.zip`, `results/job-7.json`). */
export function resultKey(jobId: number, extension: ".zip" | ".json"): string {
  return `results/job-${jobId}${extension}`;
}

/**
 * Writes a job's JSON result (`results/job-<id>.json`) to a local file first and then moves it
 * into storage (a rename in the data folder, one PUT to S3), so a reader never sees half a
 * report. Returns the ref the job row keeps; `written` (when given) gets the key, for a job that
 * must remove it if it fails later.
 */
export async function writeJsonResult(
  storage: Storage,
  jobId: number,
  value: unknown,
  written?: string[],
): Promise<string> {
  const key = resultKey(jobId, ".json");
  const local = `${storage.staging(key)}.tmp`;
  await mkdir(dirname(local), { recursive: true });
  written?.push(key);
  try {
    await writeFile(local, JSON.stringify(value));
    await storage.putFile(key, local, { contentType: "application/json" });
  } finally {
    await rm(local, { force: true });
  }
  return storage.ref(key);
}

/**
 * Removes the temporary results of one job (`.job-7.zip.<random>.tmp`, `job-7.json.tmp`): what a
 * job's worker stopped by force (or crashed) could not remove itself.
 */
export async function removeJobTemporaries(resultsFolder: string, jobId: number): Promise<void> {
  for (const name of await readdir(resultsFolder).catch(() => [] as string[]))
    if (name.endsWith(".tmp") && (name.startsWith(`.job-${jobId}.`) || name.startsWith(`job-${jobId}.`)))
      await rm(join(resultsFolder, name), { recursive: true, force: true });
}
