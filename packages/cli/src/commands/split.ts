import { CocokitError, splitDataset } from "@cocokit/core";
import type { Command } from "commander";
import { loadDataset, parseList } from "../io/dataset-io.js";
import { type WriteFlags, withWriteFlags, writeDataset } from "../io/write-dataset.js";
import { examples, globalFlags } from "./context.js";

/** `cocokit split <input> -o <output> --ratio train=0.8,val=0.2`: new subsets, by image. */
export function splitCommand(program: Command): Command {
  const command = withWriteFlags(program.command("split"))
    .description("divide images into new subsets, deterministic for a seed")
    .argument("<input>", "a .json file, a .zip, a directory, or - for JSON on stdin")
    .requiredOption("-o, --output <path>", "a .zip, a directory (one file per subset), or - for stdout")
    .requiredOption("--ratio <shares>", "subset=share pairs, such as train=0.8,val=0.2")
    .option("--seed <n>", "seed of the shuffle", "0")
    .option("--stratify", "keep each category's share close to the ratios")
    .action(
      async (
        input: string,
        flags: WriteFlags & { output: string; ratio: string; seed: string; stratify?: boolean },
        cmd: Command,
      ) => {
        const startedAt = performance.now();
        const { quiet } = globalFlags(cmd);
        const ratios = parseRatios(flags.ratio);
        const seed = Number(flags.seed);
        if (!Number.isInteger(seed))
          throw new CocokitError("usage_error", `expected --seed to be an integer, found "${flags.seed}"`);
        const dataset = await loadDataset(input, { quiet: quiet || flags.json === true });
        await writeDataset(
          splitDataset(dataset, { ratios, seed, stratify: flags.stratify === true }),
          flags.output,
          {
            startedAt,
            quiet,
            flags,
            source: `in ${input === "-" ? "<stdin>" : input}`,
          },
        );
      },
    );
  return examples(command, [
    "cocokit split instances.json -o split.zip --ratio train=0.8,val=0.2 --seed 7 --stratify",
  ]);
}

function parseRatios(text: string): Record<string, number> {
  const ratios: Record<string, number> = {};
  for (const pair of parseList(text)) {
    const [name, share, rest] = pair.split("=");
    const value = Number(share);
    if (
      name === undefined ||
      name === "" ||
      share === undefined ||
      rest !== undefined ||
      !Number.isFinite(value)
    ) {
      throw new CocokitError(
        "usage_error",
        `expected --ratio pairs like "train=0.8,val=0.2", found "${pair}"`,
      );
    }
    ratios[name.trim()] = value;
  }
  return ratios;
}
