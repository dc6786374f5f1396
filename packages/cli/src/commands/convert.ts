import { CocokitError } from "@cocokit/core";
import type { Command } from "commander";
import type { ExportOptions } from "../io/core-node.js";
import { loadDataset, parseList, saveDataset } from "../io/dataset-io.js";
import { examples, globalFlags } from "./context.js";

interface ConvertFlags {
  tasks?: string;
  segmentationMode?: string;
  reindex?: boolean;
  saveMedia?: boolean;
  compressRle?: boolean;
  lenient?: boolean;
}

const MODES = ["guess", "polygons", "mask"] as const;

/** `cocokit convert <input> <output>`: re-export a dataset as .zip, .json or a directory. */
export function convertCommand(program: Command): Command {
  const command = program
    .command("convert")
    .description("read a dataset in any layout and write it as a .zip, a .json or a directory")
    .argument("<input>", "a .json file, a .zip, a directory, or - for JSON on stdin")
    .argument("<output>", "a .zip, a .json, a directory, or - for JSON on stdout")
    .option("--tasks <list>", "task files to write, such as instances,person_keypoints")
    .option("--segmentation-mode <mode>", "guess | polygons | mask", "guess")
    .option("--reindex", "renumber image and annotation ids from 1")
    .option("--save-media", "copy images into the output")
    .option("--compress-rle", "write RLE counts as compressed strings")
    .option("--lenient", "skip what cannot be converted instead of failing (reported)")
    .action(async (input: string, output: string, flags: ConvertFlags, cmd: Command) => {
      const { quiet } = globalFlags(cmd);
      const options = exportOptions(flags); // usage errors before any reading
      const dataset = await loadDataset(input, { quiet, lenient: flags.lenient === true });
      await saveDataset(dataset, output, options);
    });
  return examples(command, [
    "cocokit convert instances_val2017.json val2017.zip",
    "cocokit convert export.zip out/ --segmentation-mode mask --compress-rle",
  ]);
}

function exportOptions(flags: ConvertFlags): ExportOptions {
  const mode = flags.segmentationMode ?? "guess";
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new CocokitError(
      "usage_error",
      `expected --segmentation-mode to be one of ${MODES.join(", ")}, found "${mode}"`,
    );
  }
  return {
    segmentationMode: mode as ExportOptions["segmentationMode"],
    ...(flags.tasks === undefined ? {} : { tasks: parseList(flags.tasks) }),
    ...(flags.reindex === true ? { reindex: true } : {}),
    ...(flags.saveMedia === true ? { saveMedia: true } : {}),
    ...(flags.compressRle === true ? { compressRle: true } : {}),
    mode: flags.lenient === true ? "lenient" : "strict",
  };
}
