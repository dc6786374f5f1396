import { fromCountsString, type Rle, RleError, area as rleArea } from "@cocokit/rle";
import { CocokitError, InternalError } from "../errors.js";
import { type JsonRecord, scanRecords } from "../json/records.js";
import { RecordSource } from "../model/record-source.js";
import type { Annotation, Category, CocoTask, Dataset, Item } from "../model/types.js";
import { type IssueCode, toPointer } from "../report/issue.js";
import { type Report, ReportBuilder } from "../report/report.js";
import { IdSet } from "./id-set.js";
import type { CocoFileSource, ImportOptions } from "./import-options.js";
import { isPanoptic, panopticRecord } from "./panoptic-record.js";
import { extraOf, isObj, type Obj } from "./record-fields.js";
import { taskFromFileName } from "./task-name.js";

// An annotation's own shape, before the fields it shares with the other shapes of its record.
type Shape =
  | { type: "caption"; caption: string }
  | { type: "bbox"; bbox: [number, number, number, number] }
  | { type: "polygon"; points: number[] }
  | { type: "mask"; rle: Rle; countsFormat: "string" | "list" }
  | { type: "points"; points: number[]; visibility: number[] }
  | { type: "label" };

// An area is "far" from the computed one beyond rasterisation noise: polygons' exact area differs
// from pycocotools' pixel count by about the perimeter, so small shapes get absolute slack.
function isFarFrom(area: number, computed: number): boolean {
  return Math.abs(area - computed) > Math.max(16, 0.2 * computed);
}

// Shoelace area of one polygon (x0, y0, x1, y1, …).
function polygonArea(xy: number[]): number {
  let twice = 0;
  const n = xy.length;
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n;
    twice += (xy[i] as number) * (xy[j + 1] as number) - (xy[j] as number) * (xy[i + 1] as number);
  }
  return Math.abs(twice) / 2;
}

const IMAGE_KEYS = new Set(["id", "file_name", "width", "height"]);
const CATEGORY_KEYS = new Set(["id", "name", "supercategory", "keypoints", "skeleton"]);
const ANNOTATION_KEYS = new Set([
  "id",
  "image_id",
  "category_id",
  "bbox",
  "segmentation",
  "area",
  "iscrowd",
  "score",
  "attributes",
  "keypoints",
  "num_keypoints",
  "caption",
]);

function unescapePointer(segment: string): string | number {
  const text = segment.replaceAll("~1", "/").replaceAll("~0", "~");
  return /^(0|[1-9]\d*)$/.test(text) ? Number(text) : text;
}

/** State of one import: the report, the items per subset, the categories. */
class Importer {
  readonly report: ReportBuilder;
  readonly categories = new Map<number, Category>();
  readonly items = new Map<string, Map<number, Item>>();
  readonly itemOrder: Item[] = [];
  /** False for validation: records are checked, annotations are not kept. */
  keep = true;
  /** True while a file is being read: categories may still be declared after the annotations. */
  fileOpen = false;
  // Annotations read before their category was declared, by category id: record indexes and their
  // keypoint counts (-1 without keypoints), numbers only, so a file of COCO's size stays small.
  private readonly categoryChecks = new Map<number, { indexes: number[]; keypointLengths: number[] }>();
  private readonly categoryNames = new Map<string, number>();
  // Annotation ids seen per file, for duplicate_id.
  private readonly annotationIds = new Map<string, IdSet>();
  // Groups taken in each item, so a new annotation finds a free group without rescanning the item.
  private readonly groups = new WeakMap<Item, Set<number>>();
  skipped = 0;
  info?: Obj;
  licenses?: unknown[];
  extra?: Obj;
  constructor(maxIssues?: number) {
    this.report = new ReportBuilder(maxIssues === undefined ? {} : { maxIssues });
  }

  issue(
    code: IssueCode,
    file: string,
    path: (string | number)[],
    expected: string,
    found: unknown,
    severity: "error" | "warning" = "error",
  ): void {
    const shown = JSON.stringify(found) ?? String(found);
    const f = shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
    const pointer = toPointer(path);
    this.report.add({
      code,
      severity,
      message: `${pointer}: expected ${expected}, found ${f}`,
      path,
      pointer,
      file,
      expected,
      found: f,
    });
  }

  /** A file that could not be read to its end: the reader's message already says where and what. */
  readError(e: CocokitError, file: string): void {
    const pointer = e.pointer ?? "";
    const path = pointer === "" ? [] : pointer.slice(1).split("/").map(unescapePointer);
    this.report.add({
      code: e.code as IssueCode,
      severity: "error",
      message: e.message,
      path,
      pointer,
      file,
      expected: "a readable COCO JSON file",
      found: e.message.slice(0, 200),
    });
  }

  image(file: string, subset: string, index: number, v: unknown): undefined {
    const path = ["images", index];
    if (!isObj(v)) return this.bad("invalid_type", file, path, "an object", v);
    if (!Number.isInteger(v.id))
      return this.bad(
        v.id === undefined ? "missing_field" : "invalid_type",
        file,
        [...path, "id"],
        "an integer id",
        v.id,
      );
    if (typeof v.file_name !== "string")
      return this.bad(
        v.file_name === undefined ? "missing_field" : "invalid_type",
        file,
        [...path, "file_name"],
        "a string",
        v.file_name,
      );
    for (const k of ["width", "height"] as const) {
      if (v[k] !== undefined && !(Number.isInteger(v[k]) && (v[k] as number) > 0))
        return this.bad("invalid_value", file, [...path, k], "a positive integer", v[k]);
    }
    let bySubset = this.items.get(subset);
    if (!bySubset) {
      bySubset = new Map();
      this.items.set(subset, bySubset);
    }
    const id = v.id as number;
    const existing = bySubset.get(id);
    if (existing) {
      // The same image in another task file of this subset merges; in the same file it is a duplicate.
      if (existing.source?.file === file)
        this.issue("duplicate_id", file, [...path, "id"], "a unique image id", id);
      return;
    }
    // Validation keeps only what cross-references need: 500k images' extra fields add up.
    const extra = this.keep ? extraOf(v, IMAGE_KEYS) : undefined;
    const item: Item = {
      id,
      subset,
      annotations: [],
      attributes: {},
      image: {
        fileName: v.file_name,
        ...(v.width === undefined ? {} : { width: v.width as number }),
        ...(v.height === undefined ? {} : { height: v.height as number }),
        ...(extra ? { extra } : {}),
      },
      source: new RecordSource(file, "images", index),
    };
    bySubset.set(id, item);
    if (this.keep) this.itemOrder.push(item);
  }

  category(file: string, index: number, v: unknown): undefined {
    const path = ["categories", index];
    if (!isObj(v)) return this.bad("invalid_type", file, path, "an object", v);
    if (!Number.isInteger(v.id))
      return this.bad(
        v.id === undefined ? "missing_field" : "invalid_type",
        file,
        [...path, "id"],
        "an integer id",
        v.id,
      );
    if (typeof v.name !== "string")
      return this.bad(
        v.name === undefined ? "missing_field" : "invalid_type",
        file,
        [...path, "name"],
        "a string",
        v.name,
      );
    const id = v.id as number;
    if (id === 0)
      this.issue("category_id_zero", file, [...path, "id"], "a category id other than 0", 0, "warning");
    if (this.categories.has(id)) {
      if (this.categories.get(id)?.name !== v.name)
        this.issue("duplicate_id", file, [...path, "id"], "a unique category id", id);
      return;
    }
    const sameName = this.categoryNames.get(v.name);
    if (sameName !== undefined)
      this.issue(
        "duplicate_category_name",
        file,
        [...path, "name"],
        `a name no other category has (category ${sameName} is also "${v.name}")`,
        v.name,
        "warning",
      );
    else this.categoryNames.set(v.name, id);
    const extra = extraOf(v, CATEGORY_KEYS);
    const cat: Category = { id, name: v.name };
    if (typeof v.supercategory === "string") cat.supercategory = v.supercategory;
    if (Array.isArray(v.keypoints)) cat.keypoints = v.keypoints as string[];
    if (Array.isArray(v.skeleton)) cat.skeleton = v.skeleton as [number, number][];
    if (extra) cat.extra = extra;
    this.categories.set(id, cat);
  }

  annotation(file: string, subset: string, task: CocoTask | undefined, index: number, v: unknown): undefined {
    const path = ["annotations", index];
    if (!isObj(v)) return this.bad("invalid_type", file, path, "an object", v);
    const item = this.imageOf(file, subset, path, v);
    if (!item) return;
    if (!Number.isInteger(v.id) && !(v.id === undefined && task === "captions"))
      return this.bad(
        v.id === undefined ? "missing_field" : "invalid_type",
        file,
        [...path, "id"],
        "an integer annotation id",
        v.id,
      );
    const id = Number.isInteger(v.id) ? (v.id as number) : 0;
    if (id !== 0) this.checkUniqueAnnotationId(file, path, id);
    let categoryId: number | undefined;
    let captionCategory: number | undefined;
    if (v.category_id !== undefined) {
      if (!Number.isInteger(v.category_id))
        return this.bad(
          "invalid_type",
          file,
          [...path, "category_id"],
          "an integer category id",
          v.category_id,
        );
      // Captions have no labels (Datumaro ignores their category_id; COCO's files write 0): an
      // undeclared id on a caption is kept as an extra field and written back as it was.
      if (!this.categories.has(v.category_id as number) && typeof v.caption === "string")
        captionCategory = v.category_id as number;
      else if (!this.categories.has(v.category_id as number)) {
        // COCO's own files list categories after annotations: while the file is still being read,
        // the category is checked when it ends (see `endOfFile`) and the annotation is read now.
        if (!this.fileOpen)
          return this.bad(
            "unknown_category",
            file,
            [...path, "category_id"],
            "the id of a category in the file",
            v.category_id,
          );
        this.deferCategoryCheck(v.category_id as number, index, v.keypoints);
      }
      if (captionCategory === undefined) categoryId = v.category_id as number;
    }
    // Every problem of the record is reported before it is skipped, not only the first.
    const errorsBefore = this.report.errorCount;
    const shapes = this.shapesOf(file, path, v, item, categoryId);
    if (this.report.errorCount > errorsBefore) return void this.skipped++;
    if (!this.keep) return;
    const attributes: Obj = isObj(v.attributes) ? { ...v.attributes } : {};
    if (v.iscrowd !== undefined) attributes.is_crowd = v.iscrowd === 1 || v.iscrowd === true;
    if (typeof v.score === "number") attributes.score = v.score;
    const used = this.groupsOf(item);
    let group = id !== 0 && !used.has(id) ? id : 1;
    if (group !== id) while (used.has(group)) group++;
    used.add(group);
    let extra = extraOf(v, ANNOTATION_KEYS);
    if (captionCategory !== undefined) extra = { category_id: captionCategory, ...extra };
    if (shapes.numKeypoints !== undefined) extra = { ...extra, num_keypoints: shapes.numKeypoints };
    // What the model cannot tell apart is kept as the file wrote it: an empty `segmentation: []`
    // (a box-only annotation; without it the file had no segmentation) and an empty `attributes: {}`.
    if (Array.isArray(v.segmentation) && v.segmentation.length === 0) extra = { ...extra, segmentation: [] };
    if (isObj(v.attributes) && Object.keys(v.attributes).length === 0) extra = { ...extra, attributes: {} };
    const source = new RecordSource(file, "annotations", index);
    const area = typeof v.area === "number" ? v.area : undefined;
    const out = shapes.list;
    if (out.length === 0 && categoryId !== undefined) out.push({ type: "label" });
    for (const shape of out) {
      // Built field by field (not spread): one object layout for all annotations keeps this fast.
      const a = shape as Annotation;
      a.id = id;
      a.group = group;
      a.attributes = attributes;
      a.source = source;
      if (categoryId !== undefined) a.categoryId = categoryId;
      if (area !== undefined) a.area = area;
      if (task) a.task = task;
      if (extra) a.extra = extra;
      item.annotations.push(a);
    }
  }

  /**
   * The shapes of one annotation record (caption, bbox, polygons or mask, keypoints) without their
   * shared fields, reporting every problem found in them, plus the warnings that need the shapes:
   * a bbox outside the image, an `area` far from the shapes' area, `num_keypoints` disagreeing.
   */
  private shapesOf(
    file: string,
    path: (string | number)[],
    v: Obj,
    item: Item,
    categoryId: number | undefined,
  ): { list: Shape[]; numKeypoints?: unknown } {
    const list: Shape[] = [];
    let numKeypoints: unknown;
    if (typeof v.caption === "string") list.push({ type: "caption", caption: v.caption });
    let bbox: [number, number, number, number] | undefined;
    if (v.bbox !== undefined) {
      const b = v.bbox;
      if (!Array.isArray(b) || b.length !== 4 || !b.every((x) => typeof x === "number" && Number.isFinite(x)))
        this.issue("invalid_bbox", file, [...path, "bbox"], "an array of 4 finite numbers", b);
      else if ((b[2] as number) < 0 || (b[3] as number) < 0)
        this.issue("invalid_bbox", file, [...path, "bbox"], "a non-negative width and height", b);
      else {
        bbox = b as [number, number, number, number];
        list.push({ type: "bbox", bbox });
        this.checkBboxInImage(file, path, bbox, item);
      }
    }
    let shapeArea: number | undefined;
    const seg = v.segmentation;
    if (Array.isArray(seg)) {
      for (let p = 0; p < seg.length; p++) {
        const poly = seg[p];
        if (
          !Array.isArray(poly) ||
          poly.length < 6 ||
          poly.length % 2 !== 0 ||
          !poly.every((x) => typeof x === "number" && Number.isFinite(x))
        )
          this.issue(
            "invalid_polygon",
            file,
            [...path, "segmentation", p],
            "an even count of at least 6 finite numbers",
            poly,
          );
        else {
          list.push({ type: "polygon", points: poly as number[] });
          shapeArea = (shapeArea ?? 0) + polygonArea(poly as number[]);
        }
      }
    } else if (isObj(seg)) {
      const rle = this.rle(file, [...path, "segmentation"], seg, item);
      if (rle) {
        list.push({ type: "mask", rle: rle.rle, countsFormat: rle.format });
        shapeArea = rleArea(rle.rle);
      }
    } else if (seg !== undefined)
      this.issue("invalid_type", file, [...path, "segmentation"], "a list of polygons or an RLE object", seg);
    if (v.keypoints !== undefined) {
      const points = this.keypoints(file, path, v, categoryId);
      if (points) {
        list.push(points.shape);
        numKeypoints = points.numKeypoints;
      }
    }
    if (typeof v.area === "number") {
      const computed = shapeArea ?? (bbox && seg === undefined ? bbox[2] * bbox[3] : undefined);
      if (computed !== undefined && isFarFrom(v.area, computed))
        this.issue(
          "area_mismatch",
          file,
          [...path, "area"],
          `about ${Math.round(computed)} (the area of the ${shapeArea === undefined ? "bbox" : "segmentation"})`,
          v.area,
          "warning",
        );
    }
    return numKeypoints === undefined ? { list } : { list, numKeypoints };
  }

  private keypoints(
    file: string,
    path: (string | number)[],
    v: Obj,
    categoryId: number | undefined,
  ): { shape: Shape; numKeypoints?: unknown } | undefined {
    const kp = v.keypoints;
    if (
      !Array.isArray(kp) ||
      kp.length % 3 !== 0 ||
      !kp.every((x) => typeof x === "number" && Number.isFinite(x))
    ) {
      this.issue("invalid_keypoints", file, [...path, "keypoints"], "a list of x, y, v triples", kp);
      return undefined;
    }
    const names = categoryId === undefined ? undefined : this.categories.get(categoryId)?.keypoints;
    // Datumaro's own files declare no keypoint names and still give points: nothing to check then.
    if (names && names.length > 0 && kp.length !== 3 * names.length) {
      this.keypointCountIssue(file, path, names.length, kp.length);
      return undefined;
    }
    const points: number[] = [];
    const visibility: number[] = [];
    let ok = true;
    for (let k = 0; k < kp.length; k += 3) {
      const vis = kp[k + 2] as number;
      if (vis !== 0 && vis !== 1 && vis !== 2) {
        this.issue("invalid_keypoint_visibility", file, [...path, "keypoints", k + 2], "0, 1 or 2", vis);
        ok = false;
      }
      points.push(kp[k] as number, kp[k + 1] as number);
      visibility.push(vis);
    }
    if (!ok) return undefined;
    const shape: Shape = { type: "points", points, visibility };
    const labelled = visibility.reduce((n, x) => n + (x > 0 ? 1 : 0), 0);
    if (v.num_keypoints === undefined || v.num_keypoints === labelled) return { shape };
    this.issue(
      "num_keypoints_mismatch",
      file,
      [...path, "num_keypoints"],
      `${labelled} (labelled points)`,
      v.num_keypoints,
      "warning",
    );
    // Kept as the file had it, so the file is written back unchanged.
    return { shape, numKeypoints: v.num_keypoints };
  }

  private keypointCountIssue(file: string, path: (string | number)[], names: number, numbers: number): void {
    this.issue(
      "invalid_keypoints",
      file,
      [...path, "keypoints"],
      `${3 * names} numbers (3 for each of the category's ${names} keypoints)`,
      `${numbers} numbers`,
    );
  }

  /** Remembers, compactly, an annotation whose category was not yet declared when it was read. */
  private deferCategoryCheck(categoryId: number, index: number, keypoints: unknown): void {
    let list = this.categoryChecks.get(categoryId);
    if (!list) {
      list = { indexes: [], keypointLengths: [] };
      this.categoryChecks.set(categoryId, list);
    }
    list.indexes.push(index);
    list.keypointLengths.push(Array.isArray(keypoints) ? keypoints.length : -1);
  }

  /** A file that could not be read to its end: its pending category checks would only add noise. */
  abandonFile(): void {
    this.fileOpen = false;
    this.categoryChecks.clear();
  }

  /**
   * The end of a file: annotations read before their category was declared are checked now; those
   * whose category never came, or whose keypoint count disagrees with it, are reported and skipped
   * (and taken out of the items when the model is kept).
   */
  endOfFile(file: string): void {
    this.fileOpen = false;
    const bad = new Set<string>();
    const found: { index: number; categoryId: number; names?: number; length: number }[] = [];
    for (const [categoryId, { indexes, keypointLengths }] of this.categoryChecks) {
      const category = this.categories.get(categoryId);
      const names = category?.keypoints?.length;
      for (let i = 0; i < indexes.length; i++) {
        const length = keypointLengths[i] as number;
        const index = indexes[i] as number;
        if (!category) found.push({ index, categoryId, length });
        else if (names !== undefined && names > 0 && length >= 0 && length !== 3 * names)
          found.push({ index, categoryId, names, length });
      }
    }
    // Reported in the order of the file, like every other issue.
    found.sort((x, y) => x.index - y.index);
    for (const f of found) {
      const path = ["annotations", f.index];
      if (f.names === undefined)
        this.issue(
          "unknown_category",
          file,
          [...path, "category_id"],
          "the id of a category in the file",
          f.categoryId,
        );
      else this.keypointCountIssue(file, path, f.names, f.length);
      this.skipped++;
      bad.add(toPointer(path));
    }
    this.categoryChecks.clear();
    if (bad.size === 0 || !this.keep) return;
    for (const item of this.itemOrder) {
      if (!item.annotations.some((a) => a.source?.file === file && bad.has(a.source.pointer))) continue;
      item.annotations = item.annotations.filter(
        (a) => !(a.source?.file === file && bad.has(a.source.pointer)),
      );
    }
  }

  private checkUniqueAnnotationId(file: string, path: (string | number)[], id: number): void {
    let ids = this.annotationIds.get(file);
    if (!ids) {
      ids = new IdSet();
      this.annotationIds.set(file, ids);
    }
    if (!ids.add(id))
      this.issue("duplicate_id", file, [...path, "id"], "an annotation id unique in its file", id);
  }

  private checkBboxInImage(
    file: string,
    path: (string | number)[],
    [x, y, w, h]: [number, number, number, number],
    item: Item,
  ): void {
    const { width, height } = item.image;
    // Half a pixel of slack: exporters round coordinates, and COCO's own files overshoot by that much.
    const outside =
      x < -0.5 ||
      y < -0.5 ||
      (width !== undefined && x + w > width + 0.5) ||
      (height !== undefined && y + h > height + 0.5);
    if (outside)
      this.issue(
        "bbox_out_of_bounds",
        file,
        [...path, "bbox"],
        `a box inside the ${width ?? "?"}x${height ?? "?"} image`,
        [x, y, w, h],
        "warning",
      );
  }

  /** The item an annotation record names by `image_id`; reports and counts the record when none. */
  imageOf(file: string, subset: string, path: (string | number)[], v: Obj): Item | undefined {
    if (!Number.isInteger(v.image_id))
      return this.bad(
        v.image_id === undefined ? "missing_field" : "invalid_type",
        file,
        [...path, "image_id"],
        "an integer image id",
        v.image_id,
      );
    const item = this.items.get(subset)?.get(v.image_id as number);
    if (!item)
      return this.bad(
        "unknown_image",
        file,
        [...path, "image_id"],
        "the id of an image in the file",
        v.image_id,
      );
    return item;
  }

  groupsOf(item: Item): Set<number> {
    let used = this.groups.get(item);
    if (!used) {
      used = new Set(item.annotations.map((a) => a.group));
      this.groups.set(item, used);
    }
    return used;
  }

  /** True when the image and the category an annotation record names are already known. */
  canResolve(subset: string, v: unknown): boolean {
    if (!isObj(v)) return true;
    if (!this.items.get(subset)?.has(v.image_id as number)) return false;
    // A caption's undeclared category is kept verbatim, which can only be decided once all are known.
    return (
      typeof v.caption !== "string" ||
      v.category_id === undefined ||
      this.categories.has(v.category_id as number)
    );
  }

  private rle(
    file: string,
    path: (string | number)[],
    seg: Obj,
    item: Item,
  ): { rle: Rle; format: "string" | "list" } | undefined {
    const size = seg.size;
    if (!Array.isArray(size) || size.length !== 2 || !size.every((x) => Number.isInteger(x) && x >= 0)) {
      this.issue("invalid_type", file, [...path, "size"], "[height, width]", size);
      return undefined;
    }
    const [h, w] = size as [number, number];
    if (
      (item.image.height !== undefined && item.image.height !== h) ||
      (item.image.width !== undefined && item.image.width !== w)
    ) {
      this.issue(
        "rle_size_mismatch",
        file,
        [...path, "size"],
        `[${item.image.height}, ${item.image.width}] (the image size)`,
        size,
      );
      return undefined;
    }
    const counts = seg.counts;
    if (typeof counts === "string") {
      try {
        return { rle: fromCountsString(counts, h, w), format: "string" };
      } catch (e) {
        if (!(e instanceof RleError)) throw e;
        this.issue("invalid_rle_string", file, [...path, "counts"], "a valid compressed RLE string", counts);
        return undefined;
      }
    }
    if (Array.isArray(counts) && counts.every((x) => Number.isInteger(x) && x >= 0)) {
      const sum = (counts as number[]).reduce((a, b) => a + b, 0);
      if (sum === h * w)
        return { rle: { height: h, width: w, counts: Uint32Array.from(counts as number[]) }, format: "list" };
      this.issue(
        "invalid_rle_counts",
        file,
        [...path, "counts"],
        `counts adding up to ${h * w}`,
        `a sum of ${sum}`,
      );
      return undefined;
    }
    this.issue(
      "invalid_rle_counts",
      file,
      [...path, "counts"],
      "a string or a list of non-negative integers",
      counts,
    );
    return undefined;
  }

  bad(code: IssueCode, file: string, path: (string | number)[], expected: string, found: unknown): undefined {
    this.issue(code, file, path, expected, found);
    this.skipped++;
  }
}

/**
 * Reads COCO JSON files into one `Dataset`, reporting every problem. Strict mode (default) throws
 * `CocokitError` `validation_failed` with `.issues` when any error is found; lenient mode skips the
 * records with errors and counts them in `report.skipped`.
 *
 * @example
 * const { dataset, report } = await importFiles([{ name: "instances_train.json", subset: "train", open: () => chunks }]);
 */
export async function importFiles(
  sources: readonly CocoFileSource[],
  options: ImportOptions = {},
): Promise<{ dataset: Dataset; report: Report }> {
  const imp = await readFiles(sources, options, true);
  const report = imp.report.finish();
  if (options.mode !== "lenient" && !report.ok) {
    throw new CocokitError(
      "validation_failed",
      `expected a valid COCO dataset, found ${report.errorCount} errors`,
      { issues: report.issues },
    );
  }
  const dataset: Dataset = { categories: [...imp.categories.values()], items: imp.itemOrder };
  if (imp.info) dataset.info = imp.info;
  if (imp.licenses) dataset.licenses = imp.licenses;
  if (imp.extra) dataset.extra = imp.extra;
  return { dataset, report: { ...report, skipped: imp.skipped } };
}

/**
 * Checks COCO JSON files in one streaming pass and returns every problem, without building the
 * model: annotations are checked and dropped, so memory holds the images and categories (for
 * cross-references) but not the annotations. The same checks as `importFiles`.
 *
 * @example
 * const report = await validateFiles([{ name: "instances_train2017.json", subset: "train2017", open: () => chunks }]);
 * console.log(report.ok, report.errorCount, report.counts);
 */
export async function validateFiles(
  sources: readonly CocoFileSource[],
  options: ImportOptions = {},
): Promise<Report> {
  const imp = await readFiles(sources, options, false);
  return { ...imp.report.finish(), skipped: imp.skipped };
}

async function readFiles(
  sources: readonly CocoFileSource[],
  options: ImportOptions,
  keep: boolean,
): Promise<Importer> {
  const imp = new Importer(options.maxIssues);
  imp.keep = keep;
  for (const source of sources) {
    const pending: { index: number; value: unknown }[] = [];
    const panoptic: { index: number; value: unknown }[] = [];
    // File-level fields are rebuilt per file; the first file that has one defines it for the dataset.
    let licenses: unknown[] | undefined;
    const extra: Record<string, unknown> = {};
    try {
      imp.fileOpen = true;
      for await (const rec of recordsOf(source, options)) {
        if (rec.key === "images" && rec.index >= 0)
          imp.image(source.name, source.subset, rec.index, rec.value);
        else if (rec.key === "categories" && rec.index >= 0) imp.category(source.name, rec.index, rec.value);
        // Annotations wait until every image and category of the file is known: files may list them first.
        // Files usually list images and categories first; an annotation whose image or category has
        // not been seen yet waits for the end of its file (files may list them in any order).
        else if (rec.key === "annotations" && rec.index >= 0) {
          if (isPanoptic(source, rec.value)) panoptic.push({ index: rec.index, value: rec.value });
          else if (imp.canResolve(source.subset, rec.value))
            imp.annotation(source.name, source.subset, source.task, rec.index, rec.value);
          else pending.push({ index: rec.index, value: rec.value });
        } else if (rec.key === "images" || rec.key === "categories" || rec.key === "annotations") {
          // Yielded whole: an empty list (nothing to read) or not a list at all.
          if (!(Array.isArray(rec.value) && rec.value.length === 0))
            imp.issue(
              "invalid_type",
              source.name,
              [rec.key],
              "an array",
              JSON.stringify(rec.value).slice(0, 200),
            );
        } else if (rec.key === "info" && isObj(rec.value)) imp.info ??= rec.value;
        else if (rec.key === "licenses") {
          licenses ??= [];
          if (rec.index < 0) licenses.push(...toArray(rec.value));
          else licenses.push(rec.value);
        } else if (rec.index < 0) extra[rec.key] = rec.value;
        else {
          // Elements of another top-level array: rebuild the array so it is written back verbatim.
          const list = extra[rec.key];
          if (Array.isArray(list)) list.push(rec.value);
          else extra[rec.key] = [rec.value];
        }
      }
    } catch (e) {
      if (!(e instanceof CocokitError) || e.code === "aborted") throw e;
      imp.readError(e, source.name);
      imp.abandonFile();
      continue;
    }
    if (licenses) imp.licenses ??= licenses;
    for (const [key, value] of Object.entries(extra)) {
      imp.extra ??= {};
      if (!(key in imp.extra)) imp.extra[key] = value;
    }
    imp.endOfFile(source.name);
    for (const a of pending) imp.annotation(source.name, source.subset, source.task, a.index, a.value);
    for (const a of panoptic) await panopticRecord(imp, source, a.index, a.value, options);
  }
  return imp;
}

/** The records of a file: streamed from its bytes, or taken from its parsed document. */
function recordsOf(
  source: CocoFileSource,
  options: ImportOptions,
): AsyncIterable<JsonRecord> | Iterable<JsonRecord> {
  if (source.document !== undefined) return documentRecords(source.document, source.name);
  return scanRecords(source.open(), {
    file: source.name,
    ...(source.size === undefined ? {} : { totalBytes: source.size }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: (p) => options.onProgress?.({ ...p, file: source.name }) } : {}),
  });
}

/**
 * The records `scanRecords` would yield for a parsed document: each element of a non-empty
 * top-level array with its index, any other top-level value (an empty array too) whole.
 */
function* documentRecords(document: unknown, file: string): Generator<JsonRecord> {
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw new CocokitError(
      "invalid_type",
      "expected a JSON object at the top level, found another JSON value",
      {
        file,
        pointer: "",
      },
    );
  for (const [key, value] of Object.entries(document)) {
    if (Array.isArray(value) && value.length > 0)
      for (let i = 0; i < value.length; i++) yield { key, index: i, value: value[i] };
    else yield { key, index: -1, value };
  }
}

/**
 * Reads one already parsed COCO file (the result of `JSON.parse`) into a `Dataset`: the in-memory
 * counterpart of `importFiles`, with the same checks and the same result. Use it when the JSON is
 * already in memory; for files, `importFiles`/`importDataset` stream and need less memory.
 * @example
 * const { dataset, report } = await importJson(JSON.parse(text), { name: "instances_val.json", subset: "val" });
 */
export async function importJson(
  document: unknown,
  options: ImportOptions & { name?: string; subset?: string; task?: CocoTask } = {},
): Promise<{ dataset: Dataset; report: Report }> {
  const name = options.name ?? "dataset.json";
  const fromName = taskFromFileName(name);
  const task = options.task ?? fromName.task;
  const source: CocoFileSource = {
    name,
    subset: options.subset ?? fromName.subset ?? "default",
    ...(task ? { task } : {}),
    open: () => {
      throw new InternalError("a parsed document has no bytes to open");
    },
    document,
  };
  return importFiles([source], options);
}

/** A `licenses` value yielded whole: an empty array, or (invalid but kept) a single value. */
function toArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
