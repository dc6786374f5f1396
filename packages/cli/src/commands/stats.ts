import { basename } from "node:path";
import { stdout } from "node:process";
import { computeStats, computeStatsFromRecords, type DatasetStats, scanRecords } from "@cocokit/core";
import { importPath } from "@cocokit/core/node";
import type { Command } from "commander";
import { inspectInput, jsonChunks } from "../io/input.js";
import { colorsFor } from "../output/colors.js";
import { createProgress } from "../output/progress.js";
import { examples, globalFlags } from "./context.js";

/** `cocokit stats <input> [--json]`. */
export function statsCommand(program: Command): Command {
  const command = program
    .command("stats")
    .description("count images, annotations per category and subset, crowd, area buckets, keypoints")
    .argument("<input>", "a .json file, a .zip, a directory, or - for JSON on stdin")
    .option("--json", "print the stats as a JSON object")
    .action(async (input: string, options: { json?: boolean }, cmd: Command) => {
      const flags = globalFlags(cmd);
      const stats = await readStats(input, flags.quiet || options.json === true);
      stdout.write(options.json === true ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
    });
  return examples(command, ["cocokit stats instances_val2017.json", "cocokit stats dataset.zip --json"]);
}

// A JSON file is read as a stream of records, never as a model: big files stay small in memory.
async function readStats(path: string, quiet: boolean): Promise<DatasetStats> {
  const input = await inspectInput(path);
  if (input.kind !== "json") {
    const { dataset } = await importPath(path, { mode: "lenient" });
    return computeStats(dataset);
  }
  const progress = createProgress("reading", { quiet, unit: "bytes" });
  try {
    const records = scanRecords(jsonChunks(path), {
      file: input.name,
      ...(input.size === undefined ? {} : { totalBytes: input.size }),
      onProgress: (p) => progress.update(p.bytesRead, p.totalBytes),
    });
    return await computeStatsFromRecords(records, { subset: subsetOf(path) });
  } finally {
    progress.done();
  }
}

// COCO names task files `<task>_<subset>.json`; anything else is the `default` subset.
function subsetOf(path: string): string {
  const match = /^(?:instances|person_keypoints|captions|labels|image_info|panoptic|stuff)_(.+)\.json$/i.exec(
    basename(path),
  );
  return match?.[1] ?? "default";
}

function formatStats(stats: DatasetStats): string {
  const c = colorsFor(stdout);
  const n = (value: number) => value.toLocaleString("en-US");
  const lines = [
    `${c.bold("images")}        ${n(stats.images)} (${n(stats.imagesWithoutAnnotations)} without annotations)`,
    `${c.bold("annotations")}   ${n(stats.annotations)} (${n(stats.crowd)} crowd)`,
    `${c.bold("areas")}         small ${n(stats.areas.small)}, medium ${n(stats.areas.medium)}, large ${n(stats.areas.large)}${stats.areas.unknown > 0 ? `, unknown ${n(stats.areas.unknown)}` : ""}`,
  ];
  const v = stats.keypointVisibility;
  if (v[0] + v[1] + v[2] > 0)
    lines.push(`${c.bold("keypoints")}     visible ${n(v[2])}, hidden ${n(v[1])}, not labelled ${n(v[0])}`);
  lines.push("", c.bold("subsets"));
  for (const [name, s] of Object.entries(stats.subsets))
    lines.push(`  ${name}: ${n(s.images)} images, ${n(s.annotations)} annotations`);
  lines.push("", c.bold("categories (id name: annotations / images)"));
  for (const cat of stats.categories)
    lines.push(`  ${cat.id} ${cat.name}: ${n(cat.annotations)} / ${n(cat.images)}`);
  if (stats.unknownCategoryAnnotations > 0)
    lines.push(c.yellow(`  ${n(stats.unknownCategoryAnnotations)} annotations with an unknown category`));
  return `${lines.join("\n")}\n`;
}
