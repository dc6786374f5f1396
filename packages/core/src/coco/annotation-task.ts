import type { Annotation, CocoTask, Item } from "../model/types.js";

/**
 * The task file each annotation of an item is written to: the one it was read from, else by kind
 * (captions, labels, keypoints); a new shape grouped with new keypoints goes with them to
 * person_keypoints, other shapes to instances. Export plans its files by it; merge numbers ids
 * per file by it.
 */
export function annotationsByTask(item: Item): Map<CocoTask, Annotation[]> {
  const keypointGroups = new Set<number>();
  for (const a of item.annotations)
    if (a.type === "points" && a.task === undefined && a.group !== 0) keypointGroups.add(a.group);
  const out = new Map<CocoTask, Annotation[]>();
  for (const a of item.annotations) {
    const task = taskOf(a, keypointGroups);
    const list = out.get(task);
    if (list) list.push(a);
    else out.set(task, [a]);
  }
  return out;
}

function taskOf(a: Annotation, keypointGroups: ReadonlySet<number>): CocoTask {
  if (a.task !== undefined) return a.task;
  if (a.type === "caption") return "captions";
  if (a.type === "label") return "labels";
  if (a.type === "points") return "person_keypoints";
  return a.group !== 0 && keypointGroups.has(a.group) ? "person_keypoints" : "instances";
}
