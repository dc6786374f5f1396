import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/cocokit.js", import.meta.url));

/** What a run of the built `cocokit` binary produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary in `cwd` with `args`, feeding `stdin` when given; never inherits a TTY. */
export function runCli(
  args: string[],
  options: { cwd: string; stdin?: string; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/** A temporary directory filled from `{ relativePath: content }`; objects are written as JSON. */
export async function tempTree(
  tree: Record<string, unknown>,
): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "cocokit-cli-"));
  for (const [path, content] of Object.entries(tree)) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(
      file,
      typeof content === "string" || content instanceof Uint8Array ? content : JSON.stringify(content),
    );
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A small valid COCO instances file: two images (one without annotations), a crowd RLE, a polygon, a box. */
export const instances = {
  info: { description: "test" },
  images: [
    { id: 1, file_name: "a.jpg", width: 100, height: 100 },
    { id: 2, file_name: "b.jpg", width: 100, height: 100 },
  ],
  categories: [
    { id: 1, name: "person", supercategory: "person" },
    { id: 2, name: "car", supercategory: "vehicle" },
  ],
  annotations: [
    {
      id: 1,
      image_id: 1,
      category_id: 1,
      bbox: [0, 0, 10, 10],
      area: 100,
      iscrowd: 0,
      segmentation: [[0, 0, 10, 0, 10, 10, 0, 10]],
    },
    { id: 2, image_id: 1, category_id: 2, bbox: [0, 0, 50, 50], area: 2500, iscrowd: 0, segmentation: [] },
    {
      id: 3,
      image_id: 1,
      category_id: 1,
      bbox: [0, 0, 100, 100],
      area: 10000,
      iscrowd: 1,
      segmentation: { size: [100, 100], counts: [0, 10000] },
    },
  ],
};
