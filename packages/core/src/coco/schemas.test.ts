import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASSETS, fixtureJsonFiles } from "../../test/fixture-files.js";
import { cocoFileSchemas, cocoInstancesFileSchema, cocoPersonKeypointsFileSchema } from "./schemas.js";
import { taskFromFileName } from "./tasks.js";

const fixtures = await fixtureJsonFiles();

describe("cocoFileSchemas", () => {
  it.each(fixtures)("accepts the conformance fixture %s with its task's schema", async (name) => {
    const task = taskFromFileName(name).task ?? "instances";
    const doc = JSON.parse(await readFile(join(ASSETS, name), "utf8"));
    const result = cocoFileSchemas[task].safeParse(doc);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  const image = { id: 1, file_name: "a.jpg", width: 4, height: 4 };
  const ann = { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] };
  it.each([
    ["an image without file_name", { images: [{ id: 1 }] }, ["images", 0, "file_name"]],
    ["a fractional image id", { images: [{ ...image, id: 1.5 }] }, ["images", 0, "id"]],
    [
      "a bbox of 3 numbers",
      { images: [image], annotations: [{ ...ann, bbox: [0, 0, 1] }] },
      ["annotations", 0, "bbox"],
    ],
    [
      "a negative bbox width",
      { images: [image], annotations: [{ ...ann, bbox: [0, 0, -1, 1] }] },
      ["annotations", 0, "bbox", 2],
    ],
    [
      "a polygon of 4 numbers",
      { images: [image], annotations: [{ ...ann, segmentation: [[0, 0, 1, 1]] }] },
      ["annotations", 0, "segmentation"],
    ],
    [
      "a string category id",
      { images: [image], annotations: [{ ...ann, category_id: "1" }] },
      ["annotations", 0, "category_id"],
    ],
  ])("rejects %s with the path of the problem", (_what, doc, path) => {
    const result = cocoInstancesFileSchema.safeParse(doc);
    expect(result.success).toBe(false);
    // A union (polygons or RLE) may report below the field; the path starts with the field's.
    const paths = result.error?.issues.map((i) => i.path.slice(0, path.length)) ?? [];
    expect(paths).toContainEqual(path);
  });

  it("rejects keypoint visibility 3 and keeps unknown fields of a valid file", () => {
    const bad = { images: [image], annotations: [{ ...ann, keypoints: [1, 1, 3] }] };
    expect(cocoPersonKeypointsFileSchema.safeParse(bad).success).toBe(false);
    const extra = {
      images: [{ ...image, my_field: 7 }],
      categories: [{ id: 1, name: "c" }],
      annotations: [{ ...ann, note: "x" }],
    };
    const parsed = cocoInstancesFileSchema.parse(extra);
    expect(parsed.images?.[0]).toMatchObject({ my_field: 7 });
    expect(parsed.annotations?.[0]).toMatchObject({ note: "x" });
  });
});
