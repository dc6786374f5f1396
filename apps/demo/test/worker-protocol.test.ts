// The worker protocol end to end without a browser: the real handler (core's import and export)
// behind the real client, joined by a port that delivers messages as a worker would, in order.
import { importDataset } from "@cocokit/core";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { DatasetClient, type Port, WorkerRequestError } from "../src/worker/client.js";
import { createHandler, toFailure } from "../src/worker/handler.js";
import type { WorkerReply, WorkerRequest } from "../src/worker/protocol.js";
import { countsOf, cvatZip, hostileJson, manyImagesJson } from "./fixtures.js";

function connect(): { client: DatasetClient; requests: WorkerRequest[] } {
  const requests: WorkerRequest[] = [];
  const port: Port = {
    onmessage: null,
    postMessage(message) {
      requests.push(message);
      void handle(message);
    },
  };
  const handle = createHandler((reply: WorkerReply) =>
    port.onmessage?.({ data: reply } as MessageEvent<WorkerReply>),
  );
  return { client: new DatasetClient(port), requests };
}

describe("the worker protocol", () => {
  it("opens a zip with progress by phase, reads its images and exports a zip that opens again", async () => {
    const fixture = await cvatZip();
    const { client } = connect();
    const phases = new Set<string>();
    const opened = await client.open(new Blob([fixture.bytes as BlobPart]), "fixture.zip", {
      onProgress: (p) => phases.add(p.phase),
    });
    expect(opened.layout).toBe("coco");
    expect(opened.hasMedia).toBe(true);
    expect(opened.dataset.items).toHaveLength(countsOf(fixture.files).images);
    expect(phases.has("parse")).toBe(true);

    const withImage = opened.dataset.items.find((i) => i.media)!;
    const bytes = await client.image(withImage.media!.path);
    expect(Array.from(bytes.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    const missing = opened.dataset.items.find((i) => !i.media)!;
    expect(fixture.missing).toContain(missing.image.fileName);

    const blob = await client.exportZip();
    const again = await importDataset(blob, { mode: "lenient" });
    expect(
      again.dataset.items.map((i) => [i.subset, i.id, i.annotations.length, i.media !== undefined]),
    ).toEqual(opened.dataset.items.map((i) => [i.subset, i.id, i.annotations.length, i.media !== undefined]));
  });

  it("sends the dataset in outline (polygons without points) and one item's full annotations on request", async () => {
    const fixture = await cvatZip();
    const { client } = connect();
    const opened = await client.open(new Blob([fixture.bytes as BlobPart]), "fixture.zip");
    const full = await importDataset(new Blob([fixture.bytes as BlobPart]), { mode: "lenient" });
    const index = full.dataset.items.findIndex((i) => i.annotations.some((a) => a.type === "polygon"));
    expect(index).toBeGreaterThanOrEqual(0);
    const outline = opened.dataset.items[index]!;
    const polygon = outline.annotations.find((a) => a.type === "polygon");
    expect(polygon?.type === "polygon" && polygon.points).toEqual([]);
    // Everything but the points stays: ids, categories, areas, boxes.
    expect(outline.annotations.map((a) => [a.type, a.id, a.categoryId, a.area])).toEqual(
      full.dataset.items[index]!.annotations.map((a) => [a.type, a.id, a.categoryId, a.area]),
    );
    expect(await client.annotations(index)).toEqual(full.dataset.items[index]!.annotations);
    await expect(client.annotations(10_000)).rejects.toMatchObject({ code: "input_not_found" });
  });

  it("cancels an open through its AbortSignal", async () => {
    const { client, requests } = connect();
    const controller = new AbortController();
    const opening = client.open(new Blob([manyImagesJson(20_000)]), "big.json", {
      signal: controller.signal,
    });
    controller.abort();
    const error = await opening.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerRequestError);
    expect((error as WorkerRequestError).code).toBe("aborted");
    expect(requests.map((r) => r.type)).toEqual(["open", "cancel"]);
  });

  it("exports with the form's options: only the tasks asked for, and no images when told so", async () => {
    const fixture = await cvatZip();
    const { client } = connect();
    await client.open(new Blob([fixture.bytes as BlobPart]), "fixture.zip");
    const zip = await JSZip.loadAsync(
      await (await client.exportZip({ tasks: ["person_keypoints"], saveMedia: false })).arrayBuffer(),
    );
    const names = Object.keys(zip.files).filter((n) => !n.endsWith("/"));
    // Every subset gets the one task file asked for; no image is copied.
    expect(names.sort()).toEqual([
      "annotations/person_keypoints_kp.json",
      "annotations/person_keypoints_train.json",
      "annotations/person_keypoints_val.json",
    ]);
    const withImages = await JSZip.loadAsync(await (await client.exportZip({})).arrayBuffer());
    expect(Object.keys(withImages.files).some((n) => n.startsWith("images/"))).toBe(true);
  });

  it("exports a JSON file's dataset (no images) as a zip of its task file, and cancels an export", async () => {
    const { client } = connect();
    const opened = await client.open(new Blob([hostileJson()]), "instances_val.json");
    expect(opened.hasMedia).toBe(false);
    const again = await importDataset(await client.exportZip(), { mode: "lenient" });
    expect(again.layout.files.map((f) => f.path)).toEqual(["annotations/instances_val.json"]);
    expect(again.dataset.items.map((i) => i.annotations.length)).toEqual(
      opened.dataset.items.map((i) => i.annotations.length),
    );

    await client.open(new Blob([manyImagesJson(20_000)]), "big.json");
    const controller = new AbortController();
    const exporting = client.exportZip({}, { signal: controller.signal });
    controller.abort();
    await expect(exporting).rejects.toMatchObject({ code: "aborted" });
  });

  it("answers a request it cannot serve with a failure carrying a code", async () => {
    const { client } = connect();
    await expect(client.exportZip()).rejects.toMatchObject({ code: "usage_error" });
    await expect(client.image("images/x.png")).rejects.toMatchObject({ code: "input_not_found" });
    await expect(client.open(new Blob(['{"hello": 1}']), "x.json")).rejects.toMatchObject({
      code: "not_coco",
    });
  });

  it("rejects every pending request when the worker breaks", async () => {
    const port: Port = { onmessage: null, postMessage() {} }; // a worker that never answers
    const client = new DatasetClient(port);
    const pending = [client.image("a.png"), client.exportZip()];
    client.failAll({ code: "internal_error", message: "worker failed" });
    for (const p of pending) await expect(p).rejects.toMatchObject({ code: "internal_error" });
  });

  it("turns anything thrown into plain data", () => {
    expect(toFailure(new DOMException("stop", "AbortError"))).toEqual({ code: "aborted", message: "stop" });
    expect(toFailure("boom")).toEqual({ code: "internal_error", message: "boom" });
  });
});
