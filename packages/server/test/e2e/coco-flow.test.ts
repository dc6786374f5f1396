import { readFile } from "node:fs/promises";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { buildTestApp, VAL_INSTANCES } from "../helpers.js";
import { pngOf, zipOf } from "../images.js";

describe("the MS COCO flow on a real listening server", () => {
  it("creates a coco-80 dataset, attaches images, imports instances, exports with images and downloads the zip", async () => {
    const { app } = await buildTestApp({}, { forceCloseConnections: true });
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const json = { "content-type": "application/json" };
    const poll = async (location: string) => {
      for (;;) {
        const job = await (await fetch(`${base}${location}`)).json();
        if (["finished", "failed", "cancelled"].includes(job.status)) return job;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const dataset = await (
      await fetch(`${base}/api/datasets`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ name: "val2017", preset: "coco-80" }),
      })
    ).json();
    expect(dataset.labels).toHaveLength(80);

    const source = JSON.parse(await readFile(VAL_INSTANCES, "utf8"));
    const imported = await fetch(
      `${base}/api/datasets/${dataset.id}/import?filename=instances_val2017.json`,
      {
        method: "POST",
        headers: json,
        body: await readFile(VAL_INSTANCES),
      },
    );
    expect((await poll(imported.headers.get("location") as string)).status).toBe("finished");

    // One real PNG per image, in the layout of COCO's own images zip (val2017/<file_name>).
    const pngs = new Map<string, Buffer>(
      source.images.map((image: { file_name: string; width: number; height: number }, i: number) => [
        image.file_name,
        pngOf(image.width, image.height, [i * 60, 100, 200]),
      ]),
    );
    const images = await zipOf(Object.fromEntries([...pngs].map(([name, png]) => [`val2017/${name}`, png])));
    const attached = await fetch(`${base}/api/datasets/${dataset.id}/media`, {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: new Uint8Array(images),
    });
    expect(attached.status).toBe(202);
    const media = await poll(attached.headers.get("location") as string);
    expect(media).toMatchObject({ status: "finished", issues_count: 0 });
    const report = await (await fetch(`${base}${media.result_url}`)).json();
    expect(report).toMatchObject({ matched: pngs.size, missing: 0, stored: pngs.size });

    const items = await (await fetch(`${base}/api/datasets/${dataset.id}/items`)).json();
    const first = items.results[0];
    const image = await fetch(`${base}/api/datasets/${dataset.id}/items/${first.id}/image`);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).equals(pngs.get(first.file_name) as Buffer)).toBe(true);

    const exported = await fetch(`${base}/api/datasets/${dataset.id}/export`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ format: "COCO 1.0", save_images: true }),
    });
    expect(exported.status).toBe(202);
    const job = await poll(exported.headers.get("location") as string);
    expect(job.status).toBe("finished");
    const download = await fetch(`${base}${job.result_url}`);
    expect(download.headers.get("content-type")).toBe("application/zip");
    const zip = await JSZip.loadAsync(await download.arrayBuffer());
    const annotations = JSON.parse(
      (await zip.file("annotations/instances_val2017.json")?.async("string")) as string,
    );
    expect(annotations.images.map((i: { file_name: string }) => i.file_name).sort()).toEqual(
      [...pngs.keys()].sort(),
    );
    expect(annotations.annotations).toHaveLength(source.annotations.length);
    for (const [name, png] of pngs) {
      const saved = zip.file(`images/val2017/${name}`);
      expect(saved, `images/val2017/${name}`).not.toBeNull();
      expect(Buffer.from((await saved?.async("uint8array")) as Uint8Array).equals(png)).toBe(true);
    }
  });
});
