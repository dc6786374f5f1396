import { decideTask, taskOfAnnotation } from "../coco/tasks.js";
import type { CocoTask } from "../model/types.js";

/**
 * What the importer knows of the file it is reading: its task (decided by the content of its
 * first annotation, the name being a hint), which top-level members it had, and the categories
 * it declared with their fields, which become the categories' `declaredIn` once the task is known.
 */
export class FileState {
  task: CocoTask | undefined;
  /** The name says one task and the content another (reported once, as a warning). */
  conflict = false;
  readonly members = new Set<string>();
  readonly declared: { id: number; keys: string[] }[] = [];

  constructor(
    readonly name: string,
    readonly subset: string,
    readonly taskFromName: CocoTask | undefined,
  ) {}

  /** The file's task, deciding it from this annotation record when it is the first. */
  taskFor(record: unknown): CocoTask {
    if (this.task === undefined) {
      const decided = decideTask(this.taskFromName, taskOfAnnotation(record));
      this.task = decided.task;
      this.conflict = decided.conflict;
    }
    return this.task;
  }

  /** The task once the file has been read: without annotations, the name's, else image_info. */
  finalTask(): CocoTask {
    this.task ??= decideTask(this.taskFromName, undefined).task;
    return this.task;
  }
}
