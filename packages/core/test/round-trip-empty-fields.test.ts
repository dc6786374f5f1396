// Fields the model cannot represent apart (an empty segmentation list vs none, an empty attributes
// object vs none) come back exactly as the file had them.
import { describe, expect, it } from "vitest";
import { exportJson, importDataset } from "../src/index.js";

const IMAGE = { id: 1, file_name: "a.jpg", width: 10, height: 8 };
const CAT = { id: 1, name: "cat" };
const ANN = { id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 2, 2], area: 4, iscrowd: 0 };

describe("round trip of what the model cannot tell apart", () => {
  it("writes back segmentation: [] and attributes: {} only where the file had them", async () => {
    const annotations = [
      { ...ANN, id: 1, segmentation: [], attributes: {} },
      { ...ANN, id: 2 },
    ];
    const input = JSON.stringify({ images: [IMAGE], categories: [CAT], annotations });
    const { dataset } = await importDataset(new TextEncoder().encode(input), {
      name: "instances_default.json",
    });
    const chunks: Uint8Array[] = [];
    for await (const c of exportJson(dataset)) chunks.push(c);
    const out = JSON.parse(
      new TextDecoder().decode(new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer())),
    );
    expect(out.annotations[0]).toMatchObject({ segmentation: [], attributes: {} });
    expect(out.annotations[1]).not.toHaveProperty("segmentation");
    expect(out.annotations[1]).not.toHaveProperty("attributes");
  });
});
