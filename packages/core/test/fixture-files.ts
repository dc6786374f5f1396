import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Datumaro's COCO test assets in ../shared (read in place, never copied). */
export const ASSETS = fileURLToPath(
  new URL("../../../../shared/conformance/datumaro_coco/tests/assets/", import.meta.url),
);

/** Every COCO JSON file of the assets (not Datumaro's dataset_meta.json), relative to ASSETS, sorted. */
export async function fixtureJsonFiles(dir: string = ASSETS): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await fixtureJsonFiles(path)));
    else if (entry.name.endsWith(".json") && !entry.name.startsWith("dataset_meta"))
      out.push(relative(ASSETS, path));
  }
  return out.sort();
}
