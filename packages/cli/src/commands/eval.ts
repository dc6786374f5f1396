import { readFile } from "node:fs/promises";
import { stdout } from "node:process";
import { CocokitError } from "@cocokit/core";
import { type EvalResult, evaluate, evaluateCoco, type IouType, summarize } from "@cocokit/eval";
import { type Command, Option } from "commander";
import { loadDataset } from "../io/dataset-io.js";
import { inspectInput } from "../io/input.js";
import { examples, globalFlags } from "./context.js";

interface EvalFlags {
  iouType: IouType;
  json?: boolean;
  perCategory?: boolean;
  maxDets?: number[];
  imgIds?: number[];
  catIds?: number[];
  useCats: boolean;
  summaryMaxDets?: "pycocotools" | "params";
}

function idList(flag: string) {
  return (value: string): number[] => {
    const list = value.split(",").map((v) => Number(v.trim()));
    if (list.length === 0 || list.some((v) => !Number.isFinite(v))) {
      throw new CocokitError(
        "invalid_params",
        `expected ${flag} as comma-separated numbers, found "${value}"`,
      );
    }
    return list;
  };
}

// A JSON file parsed whole: evaluation needs every record in memory anyway.
async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8");
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CocokitError("malformed_json", `expected JSON in "${path}", found text that does not parse`, {
      file: path,
      cause,
    });
  }
}

/** `cocokit eval <ground-truth> <results.json> --iou-type bbox|segm|keypoints`. */
export function evalCommand(program: Command): Command {
  const command = program
    .command("eval")
    .description("COCO evaluation (AP/AR) of detection results, with pycocotools' numbers and table")
    .argument("<ground-truth>", "the ground truth: a COCO .json file, a .zip or a directory")
    .argument("<results>", "detections in the COCO results format (.json)")
    .addOption(
      new Option("--iou-type <type>", "what to compare: boxes, masks or keypoints (OKS)")
        .choices(["bbox", "segm", "keypoints"])
        .makeOptionMandatory(),
    )
    .option("--json", "print { stats, per_category, params } as JSON")
    .option("--per-category", "also print AP and AR per category")
    .option("--max-dets <list>", "detections kept per image, e.g. 1,10,100", idList("--max-dets"))
    .option("--img-ids <list>", "evaluate only these image ids", idList("--img-ids"))
    .option("--cat-ids <list>", "evaluate only these category ids", idList("--cat-ids"))
    .option("--no-use-cats", "pool all categories (proposal scoring)")
    .addOption(
      new Option("--summary-max-dets <mode>", "read the summary at pycocotools' maxDets or at the given ones")
        .choices(["pycocotools", "params"])
        .default("pycocotools"),
    )
    .action(async (gtPath: string, resultsPath: string, flags: EvalFlags, cmd: Command) => {
      const { quiet } = globalFlags(cmd);
      const gtInput = await inspectInput(gtPath);
      await inspectInput(resultsPath);
      const results = await readJson(resultsPath);
      const options = {
        iouType: flags.iouType,
        summaryMaxDets: flags.summaryMaxDets ?? "pycocotools",
        params: {
          useCats: flags.useCats,
          ...(flags.maxDets ? { maxDets: flags.maxDets } : {}),
          ...(flags.imgIds ? { imgIds: flags.imgIds } : {}),
          ...(flags.catIds ? { catIds: flags.catIds } : {}),
        },
      };
      const result =
        gtInput.kind === "json"
          ? evaluateCoco((await readJson(gtPath)) as never, results, options)
          : await evaluate(
              await loadDataset(gtPath, { quiet: quiet || flags.json === true }),
              results,
              options,
            );
      stdout.write(flags.json ? `${JSON.stringify(toJson(result), null, 2)}\n` : formatText(result, flags));
    });
  return examples(command, [
    "cocokit eval instances_val2017.json detections.json --iou-type bbox",
    "cocokit eval person_keypoints_val2017.json keypoints.json --iou-type keypoints --json",
    "cocokit eval instances_val2017.json masks.json --iou-type segm --per-category --max-dets 1,10,100",
  ]);
}

function toJson(r: EvalResult): Record<string, unknown> {
  return {
    stats: r.stats,
    per_category: r.perCategory.map((c) => ({
      category_id: c.categoryId,
      ...(c.name === undefined ? {} : { name: c.name }),
      ap: c.ap,
      ap50: c.ap50,
      ap75: c.ap75,
      ar: c.ar,
    })),
    params: r.params,
  };
}

function formatText(r: EvalResult, flags: EvalFlags): string {
  let out = summarize(r);
  if (flags.perCategory) {
    const f = (v: number) => (v < 0 ? "   -  " : v.toFixed(3).padStart(6));
    out += `\n${"category".padEnd(24)}     AP   AP50   AP75     AR\n`;
    for (const c of r.perCategory) {
      const label = `${c.categoryId}${c.name === undefined ? "" : ` ${c.name}`}`.slice(0, 24).padEnd(24);
      out += `${label} ${f(c.ap)} ${f(c.ap50)} ${f(c.ap75)} ${f(c.ar)}\n`;
    }
  }
  return out;
}
