import { stdout } from "node:process";
import {
  COCO_TASKS,
  CocokitError,
  type CocoTask,
  joinMediaFiles,
  type MediaMatchReport,
} from "@cocokit/core";
import { attachMediaFromPath, type ExportToPathOptions } from "@cocokit/core/node";
import type { Command } from "commander";
import { ExitCode } from "../exit-code.js";
import { checkRead } from "../io/check-read.js";
import { convertStreaming, wholeDatasetReason } from "../io/convert-streaming.js";
import { parseList, readDataset } from "../io/dataset-io.js";
import { inspectInput } from "../io/input.js";
import { type WriteFlags, withWriteFlags, writeDataset } from "../io/write-dataset.js";
import { examples, globalFlags } from "./context.js";

interface ConvertFlags extends WriteFlags {
  tasks?: string;
  subsets?: string;
  segmentationMode?: string;
  reindex?: boolean;
  saveMedia?: boolean;
  compressRle?: boolean;
  lenient?: boolean;
  images?: string;
  dryRun?: boolean;
}

const MODES = ["guess", "polygons", "mask"] as const;
// One list of tasks, core's: the CLI offers exactly the task files core reads and writes.
const TASKS: readonly CocoTask[] = COCO_TASKS;

/** `cocokit convert <input> <output>`: re-export a dataset as .zip, .json or a directory. */
export function convertCommand(program: Command): Command {
  const command = withWriteFlags(program.command("convert"))
    .description("read a dataset in any layout and write it as a .zip, a .json or a directory")
    .argument("<input>", "a .json file, a .zip, a directory, or - for JSON on stdin")
    .argument("[output]", "a .zip, a .json, a directory, or - for JSON on stdout (not with --dry-run)")
    .option("--tasks <list>", `task files to write: ${TASKS.join(",")}`)
    .option(
      "--subsets <list>",
      "subsets to write (one is needed for a .json output of a multi-subset dataset)",
    )
    .option("--segmentation-mode <mode>", "guess | polygons | mask", "guess")
    .option("--reindex", "renumber image and annotation ids from 1")
    .option("--save-media", "copy images into the output")
    .option("--compress-rle", "write RLE counts as compressed strings")
    .option("--images <dir|zip>", "attach images from a folder or zip by file_name (implies --save-media)")
    .option("--dry-run", "with --images: print how images match and write nothing")
    .option("--lenient", "skip records with errors and write the rest (they are listed and counted)")
    .action(async (input: string, output: string | undefined, flags: ConvertFlags, cmd: Command) => {
      const startedAt = performance.now();
      const { quiet } = globalFlags(cmd);
      const options = exportOptions(flags); // usage errors before any reading
      if (flags.dryRun === true && flags.images === undefined)
        throw new CocokitError("usage_error", "expected --images <dir|zip> with --dry-run, found none");
      if (flags.dryRun !== true && (output === undefined || output === ""))
        throw new CocokitError("usage_error", "expected an output path after the input, found none");
      if (flags.images !== undefined) await inspectInput(flags.images);
      // Records straight through when no step needs the whole Dataset (see wholeDatasetReason).
      const opened = await inspectInput(input);
      if (
        wholeDatasetReason(opened, output ?? "", flags) === undefined &&
        (await convertStreaming(input, output as string, {
          startedAt,
          quiet,
          json: flags.json === true,
          lenient: flags.lenient === true,
          exportOptions: options,
        }))
      )
        return;
      // Always read leniently: one pass gives both the report and the count of records a
      // --lenient run would skip, which the refusal without --lenient quotes.
      const read = await readDataset(input, {
        quiet: quiet || flags.json === true,
        lenient: true,
      });
      const { report } = read;
      let { dataset, mediaFiles } = read;
      const name = input === "-" ? "<stdin>" : input;
      checkRead(report, name, { lenient: flags.lenient === true, quiet });
      if (flags.images !== undefined) {
        const attached = await attachMediaFromPath(dataset, flags.images);
        dataset = attached.dataset;
        // Items the images folder did not match keep the media found beside the annotations.
        mediaFiles = joinMediaFiles(attached.mediaFiles, mediaFiles);
        const { media } = attached;
        if (flags.dryRun === true) {
          stdout.write(formatMatches(media));
          process.exitCode =
            media.missing.length + media.ambiguous.length > 0 ? ExitCode.problems : ExitCode.ok;
          return;
        }
        if (!quiet) process.stderr.write(matchSummary(media));
      }
      await writeDataset(dataset, output as string, {
        startedAt,
        quiet,
        flags,
        source: `in ${name}`,
        exportOptions: { ...options, ...(mediaFiles ? { media: mediaFiles } : {}) },
        ...(flags.lenient === true ? { extra: { skipped: report.skipped ?? 0 } } : {}),
      });
    });
  return examples(command, [
    "cocokit convert instances_val2017.json val2017.zip",
    "cocokit convert annotations/instances_val2017.json coco-val.zip --images val2017/",
    "cocokit convert annotations/instances_val2017.json --images val2017/ --dry-run",
    "cocokit convert export.zip out/ --segmentation-mode mask --compress-rle",
  ]);
}

function exportOptions(flags: ConvertFlags): ExportToPathOptions {
  const mode = flags.segmentationMode ?? "guess";
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new CocokitError(
      "usage_error",
      `expected --segmentation-mode to be one of ${MODES.join(", ")}, found "${mode}"`,
    );
  }
  const tasks = flags.tasks === undefined ? undefined : parseList(flags.tasks);
  const unknown = tasks?.find((t) => !(TASKS as readonly string[]).includes(t));
  if (unknown !== undefined)
    throw new CocokitError("usage_error", `expected --tasks from ${TASKS.join(", ")}, found "${unknown}"`);
  return {
    segmentationMode: mode as ExportToPathOptions["segmentationMode"],
    ...(tasks === undefined ? {} : { tasks: tasks as CocoTask[] }),
    ...(flags.subsets === undefined ? {} : { subsets: parseList(flags.subsets) }),
    ...(flags.reindex === true ? { reindex: true } : {}),
    ...(flags.saveMedia === true || flags.images !== undefined ? { saveMedia: true } : {}),
    ...(flags.compressRle === true ? { compressRle: true } : {}),
  };
}

function matchSummary(media: MediaMatchReport): string {
  return `images: ${media.matched.length} matched, ${media.missing.length} missing, ${media.ambiguous.length} ambiguous, ${media.unmatched.length} unused\n`;
}

// The dry-run report: counts, then every missing and ambiguous item and every unused file.
function formatMatches(media: MediaMatchReport): string {
  const lines = [matchSummary(media).trimEnd()];
  const byStrategy = new Map<string, number>();
  for (const m of media.matched) byStrategy.set(m.strategy, (byStrategy.get(m.strategy) ?? 0) + 1);
  for (const [strategy, n] of byStrategy) lines.push(`  matched by ${strategy}: ${n}`);
  if (media.missing.length > 0) {
    lines.push("missing (no image file):");
    for (const m of media.missing) lines.push(`  ${m.subset}/${m.fileName} (image id ${m.itemId})`);
  }
  if (media.ambiguous.length > 0) {
    lines.push("ambiguous (several files; none attached):");
    for (const a of media.ambiguous)
      lines.push(`  ${a.subset}/${a.fileName} (image id ${a.itemId}): ${a.candidates.join(", ")}`);
  }
  if (media.unmatched.length > 0) {
    lines.push("unused files:");
    for (const f of media.unmatched) lines.push(`  ${f}`);
  }
  return `${lines.join("\n")}\n`;
}
