import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { buildTestApp, createDataset, importBytes, VAL_INSTANCES } from "../helpers.js";

describe("POST /api/datasets", () => {
  it("creates a dataset with the coco-80 preset: 80 labels with COCO's ids 1..90 and its gaps", async () => {
    const { app } = await buildTestApp();
    const created = await app.inject({
      method: "POST",
      url: "/api/datasets",
      payload: { name: "coco", preset: "coco-80" },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      name: "coco",
      images_count: 0,
      annotations_count: 0,
      created_at: expect.any(String),
    });
    expect(body.labels).toHaveLength(80);
    expect(body.labels.slice(0, 3)).toEqual(["person", "bicycle", "car"]);
    const detail = (await app.inject({ url: `/api/datasets/${body.id}` })).json();
    const ids = detail.categories.map((c: { id: number }) => c.id);
    expect(ids[0]).toBe(1);
    expect(ids.at(-1)).toBe(90);
    for (const gap of [12, 26, 29, 30, 45, 66, 68, 69, 71, 83]) expect(ids).not.toContain(gap);
    expect(detail.categories.find((c: { id: number }) => c.id === 90).name).toBe("toothbrush");
  });
  it("creates a dataset with given labels, numbered from 1", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "pets", labels: ["cat", "dog"] });
    const detail = (await app.inject({ url: `/api/datasets/${id}` })).json();
    expect(detail.categories).toEqual([
      { id: 1, name: "cat", annotations: 0 },
      { id: 2, name: "dog", annotations: 0 },
    ]);
  });
  it("refuses a body without a name, or with labels twice, with 400", async () => {
    const { app } = await buildTestApp();
    const noName = await app.inject({ method: "POST", url: "/api/datasets", payload: { labels: [] } });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().issues[0].pointer).toBe("/name");
    const twice = await app.inject({
      method: "POST",
      url: "/api/datasets",
      payload: { name: "x", labels: ["a", "a"] },
    });
    expect(twice.statusCode).toBe(400);
  });
});

describe("GET /api/datasets", () => {
  it("pages datasets", async () => {
    const { app } = await buildTestApp();
    for (const name of ["a", "b", "c"]) await createDataset(app, { name });
    const page = (await app.inject({ url: "/api/datasets?offset=1&limit=1" })).json();
    expect(page.count).toBe(3);
    expect(page.results.map((d: { name: string }) => d.name)).toEqual(["b"]);
  });
});

describe("GET /api/datasets/{id}", () => {
  it("answers 404 for an unknown dataset", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ url: "/api/datasets/99" });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe("DATASET_NOT_FOUND");
  });
  it("counts images and annotations per subset and per category after an import", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "val", preset: "coco-80" });
    const job = await importBytes(app, id, await readFile(VAL_INSTANCES), {
      filename: "instances_val2017.json",
    });
    expect(job.status).toBe("finished");
    const source = JSON.parse(await readFile(VAL_INSTANCES, "utf8"));
    const detail = (await app.inject({ url: `/api/datasets/${id}` })).json();
    expect(detail.images_count).toBe(source.images.length);
    expect(detail.annotations_count).toBeGreaterThanOrEqual(source.annotations.length);
    expect(detail.subsets).toEqual([
      { name: "val2017", images: source.images.length, annotations: detail.annotations_count },
    ]);
    const perCategory = detail.categories.reduce(
      (n: number, c: { annotations: number }) => n + c.annotations,
      0,
    );
    expect(perCategory).toBe(detail.annotations_count);
  });
});

describe("DELETE /api/datasets/{id}", () => {
  it("deletes a dataset (204), then it is gone (404)", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    expect((await app.inject({ method: "DELETE", url: `/api/datasets/${id}` })).statusCode).toBe(204);
    expect((await app.inject({ url: `/api/datasets/${id}` })).statusCode).toBe(404);
    expect((await app.inject({ method: "DELETE", url: `/api/datasets/${id}` })).statusCode).toBe(404);
  });
});

describe("GET /api/datasets/{id}/items", () => {
  it("pages images with their annotations, by subset and by category", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "val", preset: "coco-80" });
    await importBytes(app, id, await readFile(VAL_INSTANCES), { filename: "instances_val2017.json" });
    const source = JSON.parse(await readFile(VAL_INSTANCES, "utf8"));
    const page = (await app.inject({ url: `/api/datasets/${id}/items?limit=2` })).json();
    expect(page.count).toBe(source.images.length);
    expect(page.results).toHaveLength(Math.min(2, source.images.length));
    const first = page.results[0];
    expect(first).toMatchObject({
      subset: "val2017",
      image_id: source.images[0].id,
      file_name: source.images[0].file_name,
    });
    const expected = source.annotations.filter(
      (a: { image_id: number }) => a.image_id === first.image_id,
    ).length;
    expect(new Set(first.annotations.map((a: { id: number }) => a.id)).size).toBe(expected);
    const category = source.annotations[0].category_id;
    const byCategory = (
      await app.inject({ url: `/api/datasets/${id}/items?category=${category}&limit=1000` })
    ).json();
    const imagesWith = new Set(
      source.annotations
        .filter((a: { category_id: number }) => a.category_id === category)
        .map((a: { image_id: number }) => a.image_id),
    );
    expect(byCategory.count).toBe(imagesWith.size);
    expect((await app.inject({ url: `/api/datasets/${id}/items?subset=train` })).json().count).toBe(0);
  });
});
