import { CocokitError, type FilterOptions, filterDataset } from "@cocokit/core";
import type { Command } from "commander";
import { loadDataset, parseList } from "../io/dataset-io.js";
import { type WriteFlags, withWriteFlags, writeDataset } from "../io/write-dataset.js";
import { examples, globalFlags } from "./context.js";

interface FilterFlags extends WriteFlags {
  output: string;
  categories?: string;
  excludeCategories?: string;
  minArea?: string;
  dropCrowd?: boolean;
  dropEmptyImages?: boolean;
  subset?: string;
}

/** `cocokit filter <input> -o <output>`: keep some categories, annotations, images or subsets. */
export function filterCommand(program: Command): Command {
  const command = withWriteFlags(program.command("filter"))
    .description("keep only some categories, annotations, images or subsets")
    .argument("<input>", "a .json file, a .zip, a directory, or - for JSON on stdin")
    .requiredOption("-o, --output <path>", "a .zip, a .json, a directory, or - for stdout")
    .option("--categories <list>", "keep only these categories (names or ids)")
    .option("--exclude-categories <list>", "drop these categories (names or ids)")
    .option("--min-area <pixels>", "drop annotations smaller than this area")
    .option("--drop-crowd", "drop crowd annotations (iscrowd=1)")
    .option("--drop-empty-images", "drop images left without annotations")
    .option("--subset <list>", "keep only these subsets")
    .action(async (input: string, flags: FilterFlags, cmd: Command) => {
      const startedAt = performance.now();
      const { quiet } = globalFlags(cmd);
      const options = filterOptions(flags);
      const dataset = await loadDataset(input, { quiet: quiet || flags.json === true });
      await writeDataset(filterDataset(dataset, options), flags.output, {
        startedAt,
        quiet,
        flags,
        source: `left after filtering ${input === "-" ? "<stdin>" : input}`,
      });
    });
  return examples(command, [
    "cocokit filter instances_val2017.json -o people.zip --categories person --drop-crowd --drop-empty-images",
  ]);
}

function filterOptions(flags: FilterFlags): FilterOptions {
  const options: FilterOptions = {};
  if (flags.categories !== undefined) options.categories = parseList(flags.categories);
  if (flags.excludeCategories !== undefined) options.excludeCategories = parseList(flags.excludeCategories);
  if (flags.subset !== undefined) options.subsets = parseList(flags.subset);
  if (flags.dropCrowd === true) options.dropCrowd = true;
  if (flags.dropEmptyImages === true) options.dropEmptyImages = true;
  if (flags.minArea !== undefined) {
    const minArea = Number(flags.minArea);
    if (!Number.isFinite(minArea) || minArea < 0) {
      throw new CocokitError(
        "usage_error",
        `expected --min-area to be a number of pixels ≥ 0, found "${flags.minArea}"`,
      );
    }
    options.minArea = minArea;
  }
  return options;
}
