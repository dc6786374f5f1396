import { importDataset } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import { datasetTasks, defaultChoice, exportOptionsOf } from "../src/model/export-choice.js";
import { cvatZip } from "./fixtures.js";

describe("the export form", () => {
  it("opens on the dataset's own tasks and core's defaults, which export as the CLI would", async () => {
    const { dataset, mediaFiles } = await importDataset((await cvatZip()).bytes, { mode: "lenient" });
    expect(datasetTasks(dataset)).toEqual(["instances", "person_keypoints"]);
    const choice = defaultChoice(dataset, mediaFiles !== undefined);
    expect(choice.saveImages).toBe(true);
    // Untouched, tasks are left to core's per-subset rule.
    expect(exportOptionsOf(choice, dataset)).toEqual({ segmentationMode: "guess", saveMedia: true });
  });
  it("names the tasks once the user changes them, in COCO's order", async () => {
    const { dataset } = await importDataset((await cvatZip()).bytes, { mode: "lenient" });
    const choice = defaultChoice(dataset, false);
    const picked = {
      ...choice,
      tasks: new Set(["captions", "instances"] as const),
      segmentationMode: "mask" as const,
    };
    expect(exportOptionsOf(picked, dataset)).toEqual({
      tasks: ["instances", "captions"],
      segmentationMode: "mask",
      saveMedia: false,
    });
  });
});
