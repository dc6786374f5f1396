// A train2017-sized instances file for the scale-out tests, made here (the suite runs without
// Python): W1's counts — 118,287 images and 807,223 annotations over the 80 COCO categories — with
// boxes only, so the file is a fraction of W1's bytes while the store holds as many rows.
import { once } from "node:events";
import { createWriteStream } from "node:fs";

export const W1_IMAGES = 118_287;
export const W1_ANNOTATIONS = 807_223;

/** Writes the file and resolves with its counts. Deterministic: the same bytes every time. */
export async function writeW1Sized(path: string): Promise<{ images: number; annotations: number }> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  // COCO's 80 category ids: 1..90 with ten gaps.
  const gaps = new Set([12, 26, 29, 30, 45, 66, 68, 69, 71, 83]);
  const categoryIds = Array.from({ length: 90 }, (_, i) => i + 1).filter((id) => !gaps.has(id));
  await write('{"info":{"description":"W1-sized, boxes only"},"licenses":[],"images":[');
  for (let i = 1; i <= W1_IMAGES; i++)
    await write(
      `${i > 1 ? "," : ""}{"id":${i},"file_name":"${String(i).padStart(12, "0")}.jpg","width":640,"height":480}`,
    );
  await write('],"annotations":[');
  // Annotations spread over the images in order (6 or 7 per image), as exports sort them.
  let id = 0;
  for (let image = 1; image <= W1_IMAGES; image++) {
    const count =
      Math.floor((image * W1_ANNOTATIONS) / W1_IMAGES) -
      Math.floor(((image - 1) * W1_ANNOTATIONS) / W1_IMAGES);
    let chunk = "";
    for (let k = 0; k < count; k++) {
      id++;
      const x = (id * 37) % 600;
      const y = (id * 53) % 440;
      const w = 8 + ((id * 7) % 32);
      const h = 8 + ((id * 11) % 32);
      const category = categoryIds[id % categoryIds.length];
      chunk += `${id > 1 ? "," : ""}{"id":${id},"image_id":${image},"category_id":${category},"bbox":[${x},${y},${w},${h}],"area":${w * h},"iscrowd":0,"segmentation":[]}`;
    }
    await write(chunk);
  }
  await write('],"categories":[');
  await write(
    categoryIds.map((c, i) => `${i ? "," : ""}{"id":${c},"name":"c${c}","supercategory":"s"}`).join(""),
  );
  await write("]}\n");
  out.end();
  await once(out, "finish");
  return { images: W1_IMAGES, annotations: id };
}
