import { sourceFileOf, taskFileCategories } from "../coco/task-categories.js";
import { NumericRecord } from "../json/json-bytes.js";
import type { DocumentMember } from "../json/write-document.js";
import type { CocoTask, Dataset, Item } from "../model/types.js";
import type { ProgressReporter } from "../progress/progress.js";
import { cocoAttributes, scoreOf, withExtension } from "./coco-attributes.js";
import type { ExportOptions } from "./export-options.js";
import { buildInstance, type InstanceContext, type NumericMembers, withExtra } from "./instance.js";
import { panopticRecord } from "./panoptic.js";
import type { PlannedAnnotation, PlannedFile } from "./plan.js";

type Obj = Record<string, unknown>;

/** CVAT's placeholders (its spec §1.5), written with `cvatDefaults` when the dataset has none. */
export const CVAT_INFO = {
  contributor: "",
  date_created: "",
  description: "",
  url: "",
  version: "",
  year: "",
};
export const CVAT_LICENSES = [{ name: "", id: 0, url: "" }];
const CVAT_IMAGE_FIELDS = { license: 0, flickr_url: "", coco_url: "", date_captured: 0 };

/** The `file_name` written for an item: its own, with the extension replaced when `imageExt` is set. */
export function fileNameOf(item: Item, imageExt: string | undefined): string {
  return imageExt === undefined ? item.image.fileName : withExtension(item.image.fileName, imageExt);
}

/** Maps a category id to the one written: kept, or 1…N in the dataset's order with `reindex` (0 stays 0). */
export type Relabel = (categoryId: number) => number;

export function relabelOf(dataset: Dataset, reindex: boolean): Relabel {
  if (!reindex) return (id) => id;
  const ids = new Map(dataset.categories.map((c, i) => [c.id, i + 1]));
  return (id) => ids.get(id) ?? id;
}

/** One `images[]` record of an item, written with image id `id`. */
export function imageRecord(item: Item, id: number, options: ExportOptions): Obj {
  const cvat = options.cvatDefaults === true;
  const out: Obj = { id };
  if (item.image.width !== undefined || cvat) out.width = item.image.width ?? 0;
  if (item.image.height !== undefined || cvat) out.height = item.image.height ?? 0;
  out.file_name = fileNameOf(item, options.imageExt);
  if (cvat) Object.assign(out, CVAT_IMAGE_FIELDS);
  return item.image.extra ? { ...out, ...item.image.extra } : out;
}

/** A caption or label object: ids, the label when it has one, then score, attributes and extra fields. */
function simpleRecord(
  p: PlannedAnnotation,
  imageId: number,
  task: CocoTask,
  options: ExportOptions,
  relabel: Relabel,
): Obj {
  const a = p.members[0];
  if (!a) return {};
  const out: Obj = { id: p.id, image_id: imageId };
  // Captions carry a category only when they had one (COCO's own captions files have none).
  if (a.categoryId !== undefined || task === "labels") out.category_id = relabel(a.categoryId ?? 0);
  if (a.type === "caption") out.caption = a.caption;
  const score = scoreOf(a.attributes.score);
  if (score !== undefined) out.score = score;
  const attributes = options.allowAttributes !== false ? cocoAttributes(a.attributes) : undefined;
  if (attributes) out.attributes = attributes;
  return withExtra(out, a);
}

/** Where a file's `write` progress goes: the export's reporter and the file's path in the output. */
export interface WriteProgress {
  reporter: ProgressReporter;
  path: string;
}

/** The annotation records of one file, built one at a time as the writer asks for them. */
function* annotationRecords(
  file: PlannedFile,
  imageIds: Map<Item, number>,
  options: ExportOptions,
  relabel: Relabel,
  progress: WriteProgress | undefined,
): Generator<Obj | NumericRecord> {
  const reporter = progress?.reporter.active ? progress.reporter : undefined;
  const path = progress?.path ?? "";
  let done = 0;
  const written = (total: number) =>
    reporter?.report({ phase: "write", done: ++done, total, unit: "records", file: path });
  if (file.task === "panoptic") {
    const byItem = new Map<Item, PlannedAnnotation[]>();
    for (const p of file.annotations) {
      const list = byItem.get(p.item);
      if (list) list.push(p);
      else byItem.set(p.item, [p]);
    }
    for (const [item, segments] of byItem) {
      yield panopticRecord(item, imageIds.get(item) as number, segments, options, relabel);
      written(byItem.size);
    }
    return;
  }
  for (const p of file.annotations) {
    yield annotationRecord(p, imageIds.get(p.item) as number, file.task, options, relabel);
    written(file.annotations.length);
  }
}

/**
 * One annotation record of a task file other than panoptic: a caption or label record, or an
 * instance built by `buildInstance` (the record-level writer, `writeTaskFile`, calls it per object).
 */
export function annotationRecord(
  p: PlannedAnnotation,
  imageId: number,
  task: CocoTask,
  options: ExportOptions,
  relabel: Relabel,
): Obj | NumericRecord {
  if (task === "captions" || task === "labels") return simpleRecord(p, imageId, task, options, relabel);
  const mode =
    task === "stuff" && options.segmentationMode === undefined
      ? "mask"
      : (options.segmentationMode ?? "guess");
  const ctx: InstanceContext = {
    id: p.id,
    imageId,
    mode,
    relabel,
    compressRle: options.compressRle === true,
    allowAttributes: options.allowAttributes !== false,
    leader: p.leader,
    ...(p.item.image.height === undefined ? {} : { height: p.item.image.height }),
    ...(p.item.image.width === undefined ? {} : { width: p.item.image.width }),
    ...(options.precision === undefined ? {} : { precision: options.precision }),
  };
  const numeric: NumericMembers = { lists: [], listsOfLists: [] };
  const record = buildInstance(p.members, ctx, numeric);
  return new NumericRecord(record, numeric.lists, numeric.listsOfLists);
}

/**
 * The top-level members of one task file, in the order they are written: `info`, `licenses`, other
 * top-level fields of the dataset, `categories`, `images`, `annotations` (categories and images
 * first, so a streaming reader knows them before the annotations).
 */
export function taskDocument(
  dataset: Dataset,
  file: PlannedFile,
  imageIds: Map<Item, number>,
  options: ExportOptions,
  progress?: WriteProgress,
): DocumentMember[] {
  const cvat = options.cvatDefaults === true;
  const relabel = relabelOf(dataset, options.reindex === true);
  const members = fileLevelMembers(dataset, cvat);
  const used = new Set<number>();
  for (const p of file.annotations)
    for (const a of p.members) if (a.categoryId !== undefined) used.add(a.categoryId);
  const categories = taskFileCategories(dataset, file.task, file.subset, used, {
    relabel,
    cvatDefaults: cvat,
  });
  if (categories !== undefined) members.push({ key: "categories", records: categories });
  members.push({
    key: "images",
    records: (function* () {
      for (const item of file.items) yield imageRecord(item, imageIds.get(item) as number, options);
    })(),
  });
  // An image_info file the source had without `annotations` is written without it.
  const source = sourceFileOf(dataset, file.task, file.subset);
  if (!(file.task === "image_info" && source && !source.hasAnnotations))
    members.push({
      key: "annotations",
      records: annotationRecords(file, imageIds, options, relabel, progress),
    });
  return members;
}

/**
 * The members every task file starts with: `info`, `licenses` (CVAT's placeholders with
 * `cvatDefaults` when the dataset has none) and the source's other top-level fields, verbatim.
 * Shared by `exportDataset` and the record writer (`writeTaskFile`).
 */
export function fileLevelMembers(
  dataset: Pick<Dataset, "info" | "licenses" | "extra">,
  cvatDefaults: boolean,
): DocumentMember[] {
  const members: DocumentMember[] = [];
  const info = dataset.info ?? (cvatDefaults ? CVAT_INFO : undefined);
  const licenses = dataset.licenses ?? (cvatDefaults ? CVAT_LICENSES : undefined);
  if (info !== undefined) members.push({ key: "info", value: info });
  if (licenses !== undefined) members.push({ key: "licenses", value: licenses });
  for (const key in dataset.extra ?? {}) members.push({ key, value: dataset.extra?.[key] });
  return members;
}
