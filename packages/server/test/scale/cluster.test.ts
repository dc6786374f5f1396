import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeSyntheticCoco } from "../fixtures.js";
import { tempDataDir, testServer, VAL_INSTANCES } from "../helpers.js";
import { call, cluster, createDataset, submitImport, waitForJob } from "./cluster.js";

describe("two API instances and two workers sharing one data folder and one Redis queue", () => {
  it("a job submitted through one API is visible, cancellable and downloadable through the other", async () => {
    const data = await tempDataDir();
    const c = cluster({ data, queue: testServer("redis") });
    // All four at once on a fresh folder: their boot-time migrations meet.
    const [api1, api2] = await Promise.all([
      c.spawn("api"),
      c.spawn("api"),
      c.spawn("worker"),
      c.spawn("worker"),
    ]);
    if (!api1 || !api2) throw new Error("expected two API processes");

    const dataset = await createDataset(api1);
    const imported = await submitImport(api1, dataset, await readFile(VAL_INSTANCES));
    expect(await waitForJob(api2, imported)).toMatchObject({ status: "finished", progress: 1 });
    expect((await call(api2, `/api/datasets/${dataset}`)).body.images_count).toBeGreaterThan(0);

    const exported = (await call(api2, `/api/datasets/${dataset}/export`, { json: { format: "COCO 1.0" } }))
      .body.id as number;
    expect(await waitForJob(api1, exported)).toMatchObject({ status: "finished" });
    const [zip1, zip2] = await Promise.all(
      [api1, api2].map(async (api) => {
        const response = await fetch(`${api.url}/api/jobs/${exported}/result`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("application/zip");
        return Buffer.from(await response.arrayBuffer());
      }),
    );
    expect(zip1?.subarray(0, 2).toString()).toBe("PK");
    expect(zip1?.equals(zip2 as Buffer)).toBe(true);

    // A long import, cancelled through the API that did not take it while a worker runs it.
    const big = join(data, "big.json");
    await writeSyntheticCoco(big, 20_000, 10);
    const target = await createDataset(api2, "cancelled");
    const before = (await call(api1, `/api/datasets/${target}`)).body;
    const running = await submitImport(api1, target, await readFile(big));
    const mid = await waitForJob(
      api2,
      running,
      // Its progress, written by the worker, read by an API that does not run it.
      (job) => job.status !== "queued" && (job.status !== "started" || (job.progress as number) > 0),
    );
    expect(mid).toMatchObject({ status: "started" });
    const cancel = await call(api2, `/api/jobs/${running}/cancel`, { method: "POST", json: {} });
    expect(cancel.status).toBe(202);
    expect(await waitForJob(api1, running)).toMatchObject({ status: "cancelled" });
    expect((await call(api1, `/api/datasets/${target}`)).body).toEqual(before);
    expect(c.started().filter((id) => id === running)).toHaveLength(1);
  });
});
