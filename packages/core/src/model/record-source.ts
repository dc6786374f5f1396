import type { SourceRef } from "./types.js";

/**
 * Where a record was read from, with its JSON pointer built only when asked for: a COCO file of
 * train2017's size has 800k annotations, and 800k pointer strings made up front cost memory and
 * garbage-collection time for a value that is read only when something is reported.
 */
export class RecordSource implements SourceRef {
  constructor(
    readonly file: string,
    /** The top-level array (`annotations`, `images`); never contains `~` or `/`. */
    readonly key: string,
    /** The record's index in that array. */
    readonly index: number,
  ) {}

  /** The RFC 6901 pointer of the record (`/annotations/1439`). */
  get pointer(): string {
    return `/${this.key}/${this.index}`;
  }

  /** Serialises as the plain `{ file, pointer }` of `SourceRef`. */
  toJSON(): SourceRef {
    return { file: this.file, pointer: this.pointer };
  }
}
