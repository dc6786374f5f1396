import { stderr } from "node:process";
import { type Issue, mergeDatasets, type Report } from "@cocokit/core";
import type { Command } from "commander";
import { loadDataset } from "../io/dataset-io.js";
import { type WriteFlags, withWriteFlags, writeDataset } from "../io/write-dataset.js";
import { colorsFor } from "../output/colors.js";
import { examples, globalFlags } from "./context.js";

/** How many conflicts of each code are printed before "and N more". */
const SHOWN_PER_CODE = 3;

/** `cocokit merge <inputs…> -o <output>`: one dataset from several, categories unified by name. */
export function mergeCommand(program: Command): Command {
  const command = withWriteFlags(program.command("merge"))
    .description(
      "merge datasets: categories unified by name, subsets kept, clashing ids renumbered and reported",
    )
    .argument("<inputs...>", "two or more .json files, .zip archives or directories")
    .requiredOption("-o, --output <path>", "a .zip, a .json, a directory, or - for stdout")
    .action(async (inputs: string[], flags: WriteFlags & { output: string }, cmd: Command) => {
      const startedAt = performance.now();
      const { quiet } = globalFlags(cmd);
      const datasets = [];
      for (const input of inputs)
        datasets.push(await loadDataset(input, { quiet: quiet || flags.json === true }));
      const { dataset, report } = mergeDatasets(datasets, { names: inputs });
      // Warnings first, so the summary is the last line a terminal shows.
      if (report.warningCount > 0) stderr.write(formatConflicts(report));
      await writeDataset(dataset, flags.output, {
        startedAt,
        quiet,
        flags,
        source: `in ${inputs.join(", ")}`,
        extra: { conflicts: report.counts },
      });
    });
  return examples(command, ["cocokit merge a/instances_train.json b.zip -o merged.zip"]);
}

// Conflicts grouped by code with their count (from the report's counts, which cover issues past
// its cap) and the first few of each: merging two copies of COCO renumbers every annotation, which
// is one group, not 860,000 lines.
function formatConflicts(report: Report): string {
  const colors = colorsFor(stderr);
  const groups = new Map<Issue["code"], Issue[]>();
  for (const issue of report.issues) {
    const group = groups.get(issue.code);
    if (group === undefined) groups.set(issue.code, [issue]);
    else group.push(issue);
  }
  const lines: string[] = [];
  for (const [code, group] of groups) {
    const count = report.counts[code] ?? group.length;
    lines.push(colors.bold(`${code} (${count.toLocaleString("en-US")})`));
    for (const issue of group.slice(0, SHOWN_PER_CODE))
      lines.push(
        `  ${colors.yellow("⚠")} ${issue.message}${issue.file === undefined ? "" : ` (from ${issue.file})`}`,
      );
    if (count > SHOWN_PER_CODE)
      lines.push(colors.dim(`  … and ${(count - SHOWN_PER_CODE).toLocaleString("en-US")} more`));
  }
  return `${lines.join("\n")}\n`;
}
