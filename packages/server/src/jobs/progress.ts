import type { JobType } from "./state.js";

/**
 * Which part of a job's 0..1 progress each phase covers. Reading (and storing what it read)
 * dominates an import and writing an export; a phase not listed keeps the progress where it was.
 */
const SPANS: Record<JobType, Record<string, [number, number]>> = {
  import: {
    read: [0, 0.1],
    unzip: [0.1, 0.2],
    parse: [0.2, 0.7],
    validate: [0.7, 0.75],
    build: [0.75, 0.8],
    // Rows are stored as the records are parsed: core's records pass reports as `store`.
    store: [0.2, 1],
  },
  export: { load: [0, 0.2], build: [0.2, 0.3], write: [0.3, 0.9], compress: [0.9, 1] },
  validate: { read: [0, 0.1], unzip: [0.1, 0.2], parse: [0.2, 0.9], validate: [0.9, 1] },
  // Matching reads image headers (`media`); storing copies each matched file (`store`).
  media: { media: [0, 0.3], store: [0.3, 1] },
};

/** The job's overall progress (0..1) after a phase report, never below `previous`. */
export function overallProgress(
  type: JobType,
  phase: string,
  done: number,
  total: number | undefined,
  previous: number,
): number {
  const span = SPANS[type][phase];
  if (!span) return previous;
  const fraction = total && total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  return Math.max(previous, span[0] + (span[1] - span[0]) * fraction);
}
