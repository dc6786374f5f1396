import { stderr, stdout } from "node:process";
import { CocokitError, type Dataset } from "@cocokit/core";
import type { ExportToPathOptions } from "@cocokit/core/node";
import type { Command } from "commander";
import { countWritten, formatSummary, summarize, type WriteSummary } from "../output/write-summary.js";
import { saveDataset } from "./dataset-io.js";

/** Flags of every command that writes a dataset. */
export interface WriteFlags {
  json?: boolean;
}

/** Adds `--json` to a command that writes a dataset. */
export function withWriteFlags(command: Command): Command {
  return command.option("--json", "print what was written as a JSON object instead of a line");
}

/** How a command writes its dataset, and what it says about it. */
export interface WriteRequest {
  /** `performance.now()` when the command started: the summary says how long it took. */
  startedAt: number;
  quiet: boolean;
  flags: WriteFlags;
  /** Where the images would have come from, for the refusal of an empty output (`in a.json`). */
  source: string;
  exportOptions?: ExportToPathOptions;
  /** Fields the command adds to the summary (skipped records, merge conflicts). */
  extra?: Pick<WriteSummary, "skipped" | "conflicts">;
}

/**
 * Writes a dataset and prints what was written: one line, or a JSON object with `--json`; nothing
 * with `--quiet`. The summary goes to stdout, or to stderr when stdout carries the data (`-`).
 * A dataset without images is refused (`empty_output`, exit 2), always: export writes no task file
 * for it, so the output would hold nothing, and it is almost always a mistake (a filter that
 * matched nothing, --subsets naming no subset of the input).
 */
export async function writeDataset(dataset: Dataset, output: string, request: WriteRequest): Promise<void> {
  const options = request.exportOptions ?? {};
  const counts = countWritten(dataset, options);
  if (counts.images === 0) {
    const picked = options.subsets === undefined ? "" : ` (subsets: ${options.subsets.join(", ")})`;
    throw new CocokitError(
      "empty_output",
      `expected at least one image to write to ${output === "-" ? "<stdout>" : output}, found none ${request.source}${picked}; nothing was written`,
    );
  }
  const result = await saveDataset(dataset, output, options);
  const summary = { ...summarize(output, result, counts, request.startedAt), ...request.extra };
  const stream = output === "-" ? stderr : stdout;
  if (request.flags.json === true) stream.write(`${JSON.stringify(summary, null, 2)}\n`);
  else if (!request.quiet) stream.write(`${formatSummary(summary)}\n`);
}
