import { CocokitError, remapCategories } from "@cocokit/core";
import type { Command } from "commander";
import { loadDataset, parseList } from "../io/dataset-io.js";
import { type WriteFlags, withWriteFlags, writeDataset } from "../io/write-dataset.js";
import { examples, globalFlags } from "./context.js";

/** `cocokit remap <input> -o <output> --map old=new,…`: rename, merge or drop categories. */
export function remapCommand(program: Command): Command {
  const command = withWriteFlags(program.command("remap"))
    .description("rename categories; mapping two to one name merges them")
    .argument("<input>", "a .json file, a .zip, a directory, or - for JSON on stdin")
    .requiredOption("-o, --output <path>", "a .zip, a .json, a directory, or - for stdout")
    .requiredOption("--map <pairs>", 'old=new pairs by name or id, such as "car=vehicle,truck=vehicle"')
    .option("--drop-unmapped", "drop categories the map does not name, with their annotations")
    .action(
      async (
        input: string,
        flags: WriteFlags & { output: string; map: string; dropUnmapped?: boolean },
        cmd: Command,
      ) => {
        const startedAt = performance.now();
        const { quiet } = globalFlags(cmd);
        const map = parseMap(flags.map);
        const dataset = await loadDataset(input, { quiet: quiet || flags.json === true });
        await writeDataset(
          remapCategories(dataset, { map, dropUnmapped: flags.dropUnmapped === true }),
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
    'cocokit remap in.json -o out.json --map "car=vehicle,truck=vehicle" --drop-unmapped',
  ]);
}

/** Parses `old=new,…` into a map, failing with the pair that is not `old=new`. */
export function parseMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of parseList(text)) {
    const at = pair.indexOf("=");
    const from = pair.slice(0, at).trim();
    const to = pair.slice(at + 1).trim();
    if (at < 0 || from === "" || to === "") {
      throw new CocokitError(
        "usage_error",
        `expected --map pairs like "old=new,car=vehicle", found "${pair}"`,
      );
    }
    map.set(from, to);
  }
  if (map.size === 0)
    throw new CocokitError("usage_error", 'expected --map pairs like "old=new", found none');
  return map;
}
