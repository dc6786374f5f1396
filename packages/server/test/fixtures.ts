import { once } from "node:events";
import { createWriteStream } from "node:fs";

/**
 * Writes a synthetic COCO instances file (`images` × `perImage` boxes), large enough that an
 * import runs for a while: the cancel tests need a job that is still running when they cancel.
 */
export async function writeSyntheticCoco(path: string, images: number, perImage: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write('{"categories":[{"id":1,"name":"thing","supercategory":"x"}],"images":[');
  for (let i = 1; i <= images; i++)
    await write(`${i > 1 ? "," : ""}{"id":${i},"file_name":"img_${i}.jpg","width":640,"height":480}`);
  await write('],"annotations":[');
  let id = 0;
  for (let i = 1; i <= images; i++)
    for (let k = 0; k < perImage; k++) {
      id++;
      await write(
        `${id > 1 ? "," : ""}{"id":${id},"image_id":${i},"category_id":1,"bbox":[${k},${k},10.5,20.25],"area":212.625,"iscrowd":0,"segmentation":[[${k},${k},${k + 10},${k},${k + 10},${k + 20}]]}`,
      );
    }
  await write("]}");
  out.end();
  await once(out, "finish");
}
