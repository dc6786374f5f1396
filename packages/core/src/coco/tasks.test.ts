import { describe, expect, it } from "vitest";
import { taskFromFileName } from "./tasks.js";

describe("taskFromFileName", () => {
  it.each([
    ["instances_train2017.json", "instances", "train2017"],
    ["annotations/person_keypoints_val2017.json", "person_keypoints", "val2017"],
    ["annotations\\captions_val.json", "captions", "val"],
    ["image_info_test-dev2017.json", "image_info", "test-dev2017"],
    ["panoptic_val2017.json", "panoptic", "val2017"],
    ["stuff_train_extra.json", "stuff", "train_extra"],
    ["labels_default.JSON", "labels", "default"],
    ["instances.json", "instances", "default"],
  ])("reads task and subset from %s", (name, task, subset) => {
    expect(taskFromFileName(name)).toEqual({ task, subset });
  });

  it.each([
    "_annotations.coco.json",
    "data.json",
    "instances_.json",
    "instancestrain.json",
  ])("gives the default subset and no task for %s", (name) => {
    expect(taskFromFileName(name)).toEqual({ subset: "default" });
  });
});
