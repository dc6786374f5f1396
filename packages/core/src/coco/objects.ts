import type { Annotation } from "../model/types.js";
import { isCrowd } from "./crowd.js";

/**
 * What a group is, in one place: the model annotations of an item that form one COCO object.
 * Annotations sharing a non-zero `group` are one object (import gives the shapes of each record
 * their own group); group 0 stands alone; captions and labels are always objects of their own.
 * Ids never group: two records with the same id stay two objects. Objects keep the order of
 * their first member.
 */
export function groupCocoObjects(annotations: readonly Annotation[]): Annotation[][] {
  const objects: Annotation[][] = [];
  const byGroup = new Map<number, Annotation[]>();
  for (const a of annotations) {
    if (a.group === 0 || a.type === "caption" || a.type === "label") {
      objects.push([a]);
      continue;
    }
    const members = byGroup.get(a.group);
    if (members) members.push(a);
    else {
      const fresh = [a];
      byGroup.set(a.group, fresh);
      objects.push(fresh);
    }
  }
  return objects;
}

/** True when any member of the object is marked `is_crowd` (see `isCrowd`). */
export function isCrowdObject(object: readonly Annotation[]): boolean {
  return object.some((a) => isCrowd(a.attributes.is_crowd));
}
