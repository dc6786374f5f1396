// W1: the synthetic COCO file, generated once under os.tmpdir() and reused.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const generator = fileURLToPath(new URL("../../../../shared/tools/gen_coco_synth.py", import.meta.url));

/** Path of the W1 file (`images` overrides the image count for the large case). */
export function workload(images) {
  const dir = join(tmpdir(), "cocokit-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, images ? `w1-seed7-${images}.json` : "w1-seed7.json");
  if (!existsSync(path)) {
    const partial = `${path}.partial`;
    const args = [generator, partial, "--seed", "7", ...(images ? ["--images", String(images)] : [])];
    execFileSync("python3", args, { stdio: "inherit" });
    renameSync(partial, path);
  }
  return path;
}
