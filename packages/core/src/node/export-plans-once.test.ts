import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as plan from "../export/plan.js";
import type { Dataset } from "../model/types.js";
import { exportToPath } from "./export-to-path.js";

// The real planner, wrapped so the test can count its calls.
vi.mock("../export/plan.js", async (original) => {
  const real = await original<typeof import("../export/plan.js")>();
  return { ...real, planExport: vi.fn(real.planExport) };
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cocokit-plans-once-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  vi.mocked(plan.planExport).mockClear();
});

const dataset: Dataset = {
  categories: [{ id: 1, name: "a" }],
  items: [
    {
      id: 1,
      subset: "train",
      image: { fileName: "1.jpg", width: 2, height: 2 },
      annotations: [{ id: 1, group: 0, categoryId: 1, attributes: {}, type: "bbox", bbox: [0, 0, 1, 1] }],
      attributes: {},
    },
  ],
};

describe("exportToPath plans once", () => {
  for (const name of ["one.json", "one.zip", "tree"])
    it(`plans the export once for ${name}`, async () => {
      await exportToPath(dataset, join(dir, name));
      expect(plan.planExport).toHaveBeenCalledTimes(1);
    });
});
