import type { SourceRef } from "./types.js";

/**
 * The RFC 6901 pointer of the record a model object was read from (`/annotations/1439`).
 * `SourceRef` keeps the list and index instead of the pointer: a COCO file of train2017's size
 * has 800k annotations, and 800k pointer strings made up front cost memory and garbage-collection
 * time for a value that is read only when something is reported.
 * @example
 * if (annotation.source) console.log(`${annotation.source.file}#${sourcePointer(annotation.source)}`);
 */
export function sourcePointer(source: SourceRef): string {
  const list = source.list.replaceAll("~", "~0").replaceAll("/", "~1");
  return `/${list}/${source.index}`;
}
