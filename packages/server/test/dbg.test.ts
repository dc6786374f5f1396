import { createReadStream } from "node:fs";
import { join } from "node:path";
import { it } from "vitest";
import { buildTestApp, createDataset, tempDataDir, waitForJob } from "./helpers.js";
import { writeSyntheticCoco } from "./fixtures.js";
it("x", async () => {
  const { app } = await buildTestApp({ workers: 1 });
  const busy = await createDataset(app, { name: "busy" });
  const path = join(await tempDataDir(), "instances_big.json");
  await writeSyntheticCoco(path, 20_000, 20);
  const first = await app.inject({
    method: "POST",
    url: `/api/datasets/${busy}/import?filename=instances_big.json`,
    headers: { "content-type": "application/json" },
    payload: createReadStream(path),
  });
  console.log("first", first.statusCode, first.body.slice(0, 100));
  const c = await app.inject({ method: "POST", url: `/api/jobs/${first.json().id}/cancel` });
  console.log("cancel", c.statusCode, c.body.slice(0, 200));
  console.log(await waitForJob(app, first.json().id, ["finished", "failed", "cancelled"], 5000));
});
