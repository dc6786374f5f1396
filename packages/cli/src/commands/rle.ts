import { readFile } from "node:fs/promises";
import { stdout } from "node:process";
import { CocokitError } from "@cocokit/core";
import type { Rle } from "@cocokit/rle";
import type { Command } from "commander";
import { decode as decodePng, encode as encodePng } from "fast-png";
import { writeAtomically } from "../io/output.js";
import { examples } from "./context.js";

// The functions of @cocokit/rle this command uses (its planned API), loaded when a subcommand runs.
interface RleCodec {
  fromCountsString(counts: string, height: number, width: number): Rle;
  toCountsString(rle: Rle): string;
  encode(mask: Uint8Array, height: number, width: number): Rle;
  decode(rle: Rle): Uint8Array;
  area(rle: Rle): number;
  toBbox(rle: Rle): [number, number, number, number];
}

async function codec(): Promise<RleCodec> {
  const rle = (await import("@cocokit/rle")) as unknown as Partial<RleCodec>;
  for (const name of ["fromCountsString", "toCountsString", "encode", "decode", "area", "toBbox"] as const) {
    if (typeof rle[name] !== "function") {
      throw new CocokitError(
        "not_available",
        `this build of @cocokit/rle has no ${name}() yet; update @cocokit/rle`,
      );
    }
  }
  return rle as RleCodec;
}

/** `cocokit rle decode|encode|area|bbox`: work with one COCO RLE mask. */
export function rleCommand(program: Command): Command {
  const rle = program.command("rle").description("decode, encode and measure COCO RLE masks");
  const sized = (name: string, description: string) =>
    rle
      .command(name)
      .description(description)
      .argument("<counts>", 'a compressed counts string, or a JSON list of runs such as "[3,2,5]"')
      .requiredOption("--size <h,w>", "mask height and width, such as 480,640");
  sized("decode", "write the mask as a black-and-white PNG")
    .requiredOption("-o, --output <png>", "the PNG to write, or - for stdout")
    .action(async (counts: string, flags: { size: string; output: string }) => {
      const rleValue = await parseRle(counts, flags.size);
      const mask = (await codec()).decode(rleValue);
      await writeAtomically(flags.output, [toPng(mask, rleValue.height, rleValue.width)]);
    });
  sized("area", "print the number of foreground pixels").action(
    async (counts: string, flags: { size: string }) => {
      const value = await parseRle(counts, flags.size);
      stdout.write(`${(await codec()).area(value)}\n`);
    },
  );
  sized("bbox", "print the bounding box [x, y, width, height]").action(
    async (counts: string, flags: { size: string }) => {
      const value = await parseRle(counts, flags.size);
      stdout.write(`${JSON.stringify((await codec()).toBbox(value))}\n`);
    },
  );
  rle
    .command("encode")
    .description("print a PNG mask (nonzero = foreground) as COCO RLE JSON")
    .argument("<png>", "a PNG file")
    .action(async (path: string) => {
      const { mask, height, width } = fromPng(await readPng(path), path);
      const { encode, toCountsString } = await codec();
      const value = encode(mask, height, width);
      stdout.write(`${JSON.stringify({ size: [height, width], counts: toCountsString(value) })}\n`);
    });
  return examples(rle, [
    'cocokit rle area "61X13" --size 20,30',
    'cocokit rle decode "[100,20,480]" --size 20,30 -o mask.png',
    "cocokit rle encode mask.png",
  ]);
}

async function parseRle(counts: string, size: string): Promise<Rle> {
  const match = /^\s*(\d+)\s*[,x]\s*(\d+)\s*$/.exec(size);
  if (match === null)
    throw new CocokitError(
      "usage_error",
      `expected --size as height,width (such as 480,640), found "${size}"`,
    );
  const height = Number(match[1]);
  const width = Number(match[2]);
  if (counts.trimStart().startsWith("[")) {
    let runs: unknown;
    try {
      runs = JSON.parse(counts);
    } catch {
      runs = undefined;
    }
    if (!Array.isArray(runs) || !runs.every((n) => Number.isInteger(n) && n >= 0)) {
      throw new CocokitError(
        "usage_error",
        `expected a JSON list of non-negative integers, found ${counts.slice(0, 200)}`,
      );
    }
    const total = runs.reduce((a: number, b: number) => a + b, 0);
    if (total !== height * width) {
      throw new CocokitError(
        "invalid_rle_counts",
        `expected runs summing to ${height}×${width} = ${height * width} pixels, found ${total}`,
      );
    }
    return { height, width, counts: Uint32Array.from(runs as number[]) };
  }
  return (await codec()).fromCountsString(counts, height, width);
}

async function readPng(path: string): Promise<ReturnType<typeof decodePng>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new CocokitError("input_not_found", `expected a readable PNG file, found nothing at "${path}"`, {
      file: path,
      cause,
    });
  }
  try {
    return decodePng(bytes);
  } catch (cause) {
    throw new CocokitError(
      "unsupported_input",
      `expected a PNG image, found bytes that are not one (${(cause as Error).message})`,
      {
        file: path,
        cause,
      },
    );
  }
}

// PNG rows are row-major; COCO masks are column-major. Any nonzero colour channel is foreground.
function fromPng(
  png: ReturnType<typeof decodePng>,
  path: string,
): { mask: Uint8Array; height: number; width: number } {
  const { width, height, data } = png;
  const channels = png.channels;
  if (png.palette !== undefined)
    throw new CocokitError("unsupported_input", "expected a grayscale or RGB PNG, found a palette PNG", {
      file: path,
    });
  // 2 and 4 channels carry alpha last, which is not the mask.
  const colour = channels === 2 || channels === 4 ? channels - 1 : channels;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * channels;
      let on = 0;
      for (let c = 0; c < colour; c++) if ((data[at + c] ?? 0) !== 0) on = 1;
      mask[x * height + y] = on;
    }
  }
  return { mask, height, width };
}

function toPng(mask: Uint8Array, height: number, width: number): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let x = 0; x < width; x++)
    for (let y = 0; y < height; y++) data[y * width + x] = mask[x * height + y] ? 255 : 0;
  return encodePng({ width, height, data, channels: 1, depth: 8 });
}
