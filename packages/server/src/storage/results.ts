import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Where jobs' result files go inside the data folder. */
export function resultsDir(dataDir: string): string {
  return join(dataDir, "results");
}

/**
 * Writes a job's JSON result (`results/job-<id>.json`) beside itself first, then renames it, so a
 * reader never sees half a report. Returns the path; `written` (when given) gets every path
 * created, for a job that must remove them if it fails later.
 */
export async function writeJsonResult(
  dataDir: string,
  jobId: number,
  value: unknown,
  written?: string[],
): Promise<string> {
  await mkdir(resultsDir(dataDir), { recursive: true });
  const path = join(resultsDir(dataDir), `job-${jobId}.json`);
  written?.push(`${path}.tmp`, path);
  await writeFile(`${path}.tmp`, JSON.stringify(value));
  await rename(`${path}.tmp`, path);
  return path;
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
