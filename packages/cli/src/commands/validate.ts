import { stdout } from "node:process";
import type { ProgressEvent, Report } from "@cocokit/core";
import { validateDataset } from "@cocokit/core";
import { validatePath } from "@cocokit/core/node";
import type { Command } from "commander";
import { ExitCode, isUnreadable } from "../exit-code.js";
import { inspectInput, jsonChunks } from "../io/input.js";
import { colorsFor } from "../output/colors.js";
import { formatReport } from "../output/format-issues.js";
import { createProgress } from "../output/progress.js";
import { examples, globalFlags } from "./context.js";

/** `cocokit validate <input> [--json] [--strict]`: exit 0 when clean, 1 when problems are found. */
export function validateCommand(program: Command): Command {
  const command = program
    .command("validate")
    .description("check a dataset and report every problem, grouped by code")
    .argument("<input>", "a .json file, a .zip, a directory, or - for JSON on stdin")
    .option("--json", "print the report as a JSON object")
    .option("--strict", "count warnings as problems (exit 1)")
    .action(async (path: string, options: { json?: boolean; strict?: boolean }, cmd: Command) => {
      const flags = globalFlags(cmd);
      const input = await inspectInput(path);
      const progress = createProgress("validating", {
        quiet: flags.quiet || options.json === true,
        unit: "bytes",
      });
      let report: Report;
      try {
        const onProgress = (p: ProgressEvent) => {
          if (p.phase === "parse") progress.update(p.done, p.total);
        };
        report =
          path === "-"
            ? await validateDataset(jsonChunks(path), { onProgress, name: "stdin.json" })
            : await validatePath(path, { onProgress });
      } finally {
        progress.done();
      }
      if (options.json === true) stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else stdout.write(`${formatReport(report, input.name, colorsFor(stdout))}\n`);
      // A report that says the input could not be read at all is a failure to run, not a finding.
      const unreadable = report.issues.some(
        (issue) => issue.severity === "error" && isUnreadable(issue.code),
      );
      const failed = report.errorCount > 0 || (options.strict === true && report.warningCount > 0);
      process.exitCode = unreadable ? ExitCode.failed : failed ? ExitCode.problems : ExitCode.ok;
    });
  return examples(command, [
    "cocokit validate annotations/instances_val2017.json",
    "cocokit validate export.zip --json > report.json",
    "cat instances.json | cocokit validate -",
  ]);
}
