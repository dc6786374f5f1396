import { CocokitError } from "../errors.js";
import type { Item } from "../model/types.js";
import type { Report } from "../report/report.js";
import { type WriteZipOptions, writeZip, type ZipEntrySource } from "../zip/write-zip.js";
import type { AnnotationRecord, DatasetHead, RecordBatch } from "./record-batch.js";
import { type WriteCounts, type WriteTaskFileOptions, writeTaskFile } from "./write-task-file.js";

/** What a records export wrote, filled in as it goes. */
export interface RecordsExportResult extends WriteCounts {
  /** The task files written (`annotations/instances_train.json`), in order. */
  files: string[];
  /** The reader's report, once its `end` batch has gone by. */
  report?: Report;
}

/** One task file of a records export: its path in the output, and its bytes (readable once). */
export interface RecordTaskFile extends ZipEntrySource {
  task: string;
  subset: string;
}

/**
 * The task files of a record stream (`readCocoRecords`'s batches), one per `file` batch, each
 * written by `writeTaskFile` as it is read (`annotations/<task>_<subset>.json`): the stream is read
 * once, so each file must be read to its end before the next is asked for (a file not opened is
 * skipped). `result` counts what was written and gets the reader's report.
 * @example
 * for await (const file of recordTaskFiles(readCocoRecords(blob))) await save(file.path, file.open());
 */
export async function* recordTaskFiles(
  batches: AsyncIterable<RecordBatch>,
  options: WriteTaskFileOptions = {},
  result: RecordsExportResult = { images: 0, annotations: 0, files: [] },
): AsyncGenerator<RecordTaskFile> {
  const input = new Peekable(batches[Symbol.asyncIterator]());
  try {
    yield* taskFiles(input, options, result);
  } finally {
    // Stopped early (a consumer's `return`, an abort, an error): the reader is told, so it frees
    // what it holds (file handles, a database statement) instead of waiting suspended.
    await input.close();
  }
}

async function* taskFiles(
  input: Peekable,
  options: WriteTaskFileOptions,
  result: RecordsExportResult,
): AsyncGenerator<RecordTaskFile> {
  let dataset: DatasetHead = { categories: [], sourceFiles: [] };
  for (let b = await input.next(); b !== undefined; b = await input.next()) {
    if (b.kind === "dataset") dataset = b;
    else if (b.kind === "end") result.report = b.report;
    else if (b.kind === "file") {
      const head = { ...dataset, task: b.task, subset: b.subset };
      const path = `annotations/${b.task}_${b.subset}.json`;
      let opened = false;
      yield {
        path,
        task: b.task,
        subset: b.subset,
        open: () => {
          if (opened)
            throw new CocokitError(
              "export_failed",
              `expected ${path} to be read once (a record stream), found a second read`,
            );
          opened = true;
          result.files.push(path);
          return writeTaskFile(head, input.run("images"), input.run("annotations"), options, result);
        },
      };
      // What the consumer did not read of this file.
      for await (const _ of input.run("images"));
      for await (const _ of input.run("annotations"));
    }
  }
}

/**
 * A record stream written as a zip of its task files (`writeZip`, each entry generated as it is
 * written): what `exportToPath(dataset, "x.zip")` writes for the same records, without a Dataset.
 * @example
 * for await (const chunk of recordsZip(readCocoRecords(await openAsBlob("instances_train2017.json")))) out.write(chunk);
 */
export function recordsZip(
  batches: AsyncIterable<RecordBatch>,
  options: WriteTaskFileOptions & Pick<WriteZipOptions, "compression"> = {},
  result?: RecordsExportResult,
): AsyncGenerator<Uint8Array> {
  return writeZip(recordTaskFiles(batches, options, result), {
    ...(options.compression ? { compression: options.compression } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * A record stream of exactly one task file written as that file's JSON (what `exportJson` writes
 * for the same records). Throws `export_ambiguous` at a second file.
 * @example
 * for await (const chunk of recordsJson(readCocoRecords(zipBytes))) out.write(chunk);
 */
export async function* recordsJson(
  batches: AsyncIterable<RecordBatch>,
  options: WriteTaskFileOptions = {},
  result: RecordsExportResult = { images: 0, annotations: 0, files: [] },
): AsyncGenerator<Uint8Array> {
  for await (const file of recordTaskFiles(batches, options, result)) {
    if (result.files.length > 0)
      throw new CocokitError(
        "export_ambiguous",
        `expected one task file for a single JSON output, found more: ${result.files[0]}, ${file.path}; write a .zip or directory`,
      );
    yield* file.open();
  }
}

/** An iterator that can look at its next batch, and run over the batches of one kind. */
class Peekable {
  private held: RecordBatch | undefined;
  private done = false;
  constructor(private readonly iterator: AsyncIterator<RecordBatch>) {}

  async peek(): Promise<RecordBatch | undefined> {
    if (this.held === undefined && !this.done) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else this.held = next.value;
    }
    return this.held;
  }

  /** Ends the underlying iterator unless it ended by itself. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.held = undefined;
    await this.iterator.return?.();
  }

  async next(): Promise<RecordBatch | undefined> {
    const b = await this.peek();
    this.held = undefined;
    return b;
  }

  /** The records of the batches of `kind` that come next. */
  run(kind: "images"): AsyncGenerator<Item[]>;
  run(kind: "annotations"): AsyncGenerator<AnnotationRecord[]>;
  async *run(kind: "images" | "annotations"): AsyncGenerator<Item[] | AnnotationRecord[]> {
    for (let b = await this.peek(); b?.kind === kind; b = await this.peek()) {
      this.held = undefined;
      yield b.records;
    }
  }
}
