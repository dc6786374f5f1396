import { stderr } from "node:process";
import { mergeDatasets } from "@cocokit/core";
import type { Command } from "commander";
import { loadDataset, saveDataset } from "../io/dataset-io.js";
import { colorsFor } from "../output/colors.js";
import { examples, globalFlags } from "./context.js";

/** `cocokit merge <inputs…> -o <output>`: one dataset from several, categories unified by name. */
export function mergeCommand(program: Command): Command {
  const command = program
    .command("merge")
    .description("merge datasets: categories unified by name, subsets kept, conflicts reported")
    .argument("<inputs...>", "two or more .json files, .zip archives or directories")
    .requiredOption("-o, --output <path>", "a .zip, a .json, a directory, or - for stdout")
    .action(async (inputs: string[], flags: { output: string }, cmd: Command) => {
      const { quiet } = globalFlags(cmd);
      const datasets = [];
      for (const input of inputs) datasets.push(await loadDataset(input, { quiet }));
      const { dataset, conflicts } = mergeDatasets(datasets);
      await saveDataset(dataset, flags.output);
      const colors = colorsFor(stderr);
      for (const conflict of conflicts)
        stderr.write(`${colors.yellow("⚠")} ${conflict.message} (from ${inputs[conflict.source]})\n`);
    });
  return examples(command, ["cocokit merge a/instances_train.json b.zip -o merged.zip"]);
}
