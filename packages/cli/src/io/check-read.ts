import { stderr } from "node:process";
import { CocokitError, type ErrorCode, type Report } from "@cocokit/core";
import { isUnreadable } from "../exit-code.js";
import { colorsFor } from "../output/colors.js";
import { formatReport } from "../output/format-issues.js";
import { count } from "../output/write-summary.js";

/**
 * Decides whether a dataset read leniently may be written, and says so on stderr:
 * - input that could not be read (truncated JSON, not COCO, a broken zip) fails with its own
 *   code (exit 2), even with `--lenient`: what is missing is unknown;
 * - errors without `--lenient` print the report grouped by code and fail (`validation_failed`,
 *   exit 1), saying how to proceed;
 * - with `--lenient`, the report and the number of records skipped are printed (the report only
 *   without `--quiet`), and the write goes on.
 */
export function checkRead(
  report: Report,
  input: string,
  options: { lenient: boolean; quiet: boolean },
): void {
  const unreadable = report.issues.find((issue) => issue.severity === "error" && isUnreadable(issue.code));
  if (unreadable !== undefined) {
    // An input-kind issue re-thrown as the error it stands for (its code is in core's one table).
    throw new CocokitError(unreadable.code as ErrorCode, unreadable.message, {
      file: unreadable.file ?? input,
      ...(unreadable.pointer === "" ? {} : { pointer: unreadable.pointer }),
    });
  }
  const skipped = report.skipped ?? 0;
  if (report.errorCount === 0 && skipped === 0) return;
  const colors = colorsFor(stderr);
  if (!options.lenient) {
    stderr.write(`${formatReport(report, input, colors)}\n`);
    const records = skipped === 1 ? "that record" : `those ${count(skipped, "record")}`;
    const proceed =
      skipped > 0
        ? `run again with --lenient to skip ${records} and write the rest`
        : "run again with --lenient to write it anyway";
    throw new CocokitError(
      "validation_failed",
      `expected a dataset without errors, found ${count(report.errorCount, "error")} in ${skipped > 0 ? `${count(skipped, "record")} of ` : ""}${input} (listed above); nothing was written: ${proceed}`,
    );
  }
  if (!options.quiet) stderr.write(`${formatReport(report, input, colors)}\n`);
  if (skipped === 0) return;
  const where = options.quiet ? `run cocokit validate ${input} to list them` : "see the issues above";
  stderr.write(`${colors.yellow("⚠")} ${count(skipped, "record")} skipped (${where})\n`);
}
