import type { CocokitError } from "../errors.js";
import { RecordSource } from "../model/record-source.js";
import type { Annotation, Category, CocoTask, ImageInfo, Item } from "../model/types.js";
import { type IssueCode, toPointer } from "../report/issue.js";
import { ReportBuilder } from "../report/report.js";
import { keypointCountIssue, shapesOf } from "../validate/annotation-shapes.js";
import { type IssueSink, issueAt, issueOfReadError } from "../validate/issue-sink.js";
import { DeferredCategoryChecks } from "./deferred-category-checks.js";
import { IdSet } from "./id-set.js";
import { extraOf, isObj, type Obj } from "./record-fields.js";

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

const NO_ANNOTATIONS: Annotation[] = [];
const NO_ATTRIBUTES: Record<string, unknown> = {};

/** State of one import: the report, the items per subset, the categories. */
export class Importer implements IssueSink {
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
  private readonly categoryChecks = new DeferredCategoryChecks();
  private readonly categoryNames = new Map<string, number>();
  // Annotation ids seen per file, for duplicate_id.
  private readonly annotationIds = new Map<string, IdSet>();
  // Groups taken in each item, so a new annotation finds a free group without rescanning the item.
  private readonly groups = new Map<Item, Set<number>>();
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
    this.report.add(issueAt(code, file, path, expected, found, severity));
  }

  /** A file that could not be read to its end: the reader's message already says where and what. */
  readError(e: CocokitError, file: string): void {
    this.report.add(issueOfReadError(e, file));
  }

  image(file: string, subset: string, index: number, v: unknown): undefined {
    const path = ["images", index];
    if (!isObj(v)) return this.bad("invalid_type", file, path, "an object", v);
    if (!Number.isInteger(v.id)) return this.missingOrWrong(file, path, v, "id", "an integer id");
    if (typeof v.file_name !== "string") return this.missingOrWrong(file, path, v, "file_name", "a string");
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
    const image: ImageInfo = { fileName: v.file_name };
    if (v.width !== undefined) image.width = v.width as number;
    if (v.height !== undefined) image.height = v.height as number;
    if (extra) image.extra = extra;
    const item: Item = {
      id,
      subset,
      // Validation adds nothing to its items: all of them share one empty list and map.
      annotations: this.keep ? [] : NO_ANNOTATIONS,
      attributes: this.keep ? {} : NO_ATTRIBUTES,
      image,
      source: new RecordSource(file, "images", index),
    };
    bySubset.set(id, item);
    if (this.keep) this.itemOrder.push(item);
  }

  category(file: string, index: number, v: unknown): undefined {
    const path = ["categories", index];
    if (!isObj(v)) return this.bad("invalid_type", file, path, "an object", v);
    if (!Number.isInteger(v.id)) return this.missingOrWrong(file, path, v, "id", "an integer id");
    if (typeof v.name !== "string") return this.missingOrWrong(file, path, v, "name", "a string");
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
      return this.missingOrWrong(file, path, v, "id", "an integer annotation id");
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
        this.categoryChecks.add(v.category_id as number, index, v.keypoints);
      }
      if (captionCategory === undefined) categoryId = v.category_id as number;
    }
    // Every problem of the record is reported before it is skipped, not only the first.
    const errorsBefore = this.report.errorCount;
    const shapes = shapesOf(this, this.categories, file, path, v, item, categoryId);
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
    const found = this.categoryChecks.unresolved(this.categories);
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
      else keypointCountIssue(this, file, path, f.names, f.length);
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

  /** The item an annotation record names by `image_id`; reports and counts the record when none. */
  imageOf(file: string, subset: string, path: (string | number)[], v: Obj): Item | undefined {
    if (!Number.isInteger(v.image_id))
      return this.missingOrWrong(file, path, v, "image_id", "an integer image id");
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

  /** Reports a required field that is absent (`missing_field`) or of the wrong type, and skips the record. */
  private missingOrWrong(
    file: string,
    path: (string | number)[],
    v: Obj,
    key: string,
    expected: string,
  ): undefined {
    const code = v[key] === undefined ? "missing_field" : "invalid_type";
    return this.bad(code, file, [...path, key], expected, v[key]);
  }

  bad(code: IssueCode, file: string, path: (string | number)[], expected: string, found: unknown): undefined {
    this.issue(code, file, path, expected, found);
    this.skipped++;
  }
}
