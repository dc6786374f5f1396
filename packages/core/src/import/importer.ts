import { keypointCountIssue } from "../coco/annotation-shapes.js";
import { categoryOfRecord, mergeDeclaration } from "../coco/category-record.js";
import { checkId, checkObject } from "../coco/ids.js";
import { LABELLED_TASKS } from "../coco/tasks.js";
import type { CocokitError } from "../errors.js";
import type { Annotation, Category, ImageInfo, Item, SourceTaskFile } from "../model/types.js";
import type { IssueCode } from "../report/issue.js";
import { ReportBuilder } from "../report/report.js";
import { described, type IssueSink, issueAt, issueOfReadError } from "../validate/issue-sink.js";
import { DeferredCategoryChecks } from "./deferred-category-checks.js";
import type { FileState } from "./file-state.js";
import { IdSet } from "./id-set.js";
import { extraOf, type Obj } from "./record-fields.js";

const IMAGE_KEYS = new Set(["id", "file_name", "width", "height"]);
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
  readonly categoryChecks = new DeferredCategoryChecks();
  private readonly categoryNames = new Map<string, number>();
  // Category ids declared by the file being read, for duplicates within one file.
  private fileCategoryIds = new Set<number>();
  // Annotation ids seen per file, for duplicate_id.
  private readonly annotationIds = new Map<string, IdSet>();
  // The next free group of each item: each record's shapes get a group of their own.
  private readonly nextGroup = new Map<Item, number>();
  /** The task files read, with the lists each had (`Dataset.sourceFiles`). */
  readonly sourceFiles: SourceTaskFile[] = [];
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
    if (!checkObject(this, file, path, v)) return void this.skipped++;
    let ok = checkId(this, file, path, v, "id", "an integer id");
    if (typeof v.file_name !== "string") {
      const code = v.file_name === undefined ? "missing_field" : "invalid_type";
      this.issue(code, file, [...path, "file_name"], "a string", v.file_name);
      ok = false;
    }
    for (const k of ["width", "height"] as const) {
      if (v[k] !== undefined && !(Number.isInteger(v[k]) && (v[k] as number) > 0)) {
        const code = typeof v[k] === "number" ? "invalid_value" : "invalid_type";
        this.issue(code, file, [...path, k], "a positive integer", v[k]);
        ok = false;
      }
    }
    if (!ok) return void this.skipped++;
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
    const image: ImageInfo = { fileName: v.file_name as string };
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
      source: { file, list: "images", index },
    };
    bySubset.set(id, item);
    if (this.keep) this.itemOrder.push(item);
  }

  category(state: FileState, index: number, v: unknown): undefined {
    const file = state.name;
    const read = categoryOfRecord(this, file, index, v);
    if (!read) return void this.skipped++;
    const { category, keys } = read;
    const path = ["categories", index];
    const id = category.id;
    if (id === 0)
      this.issue("category_id_zero", file, [...path, "id"], "a category id other than 0", 0, "warning");
    if (this.fileCategoryIds.has(id)) {
      this.issue("duplicate_id", file, [...path, "id"], "a category id unique in its file", id);
      return;
    }
    this.fileCategoryIds.add(id);
    state.declared.push({ id, keys });
    const known = this.categories.get(id);
    if (known) {
      // Another task file declaring the same category: one category, with the fields of both.
      if (known.name !== category.name)
        this.issue(
          "duplicate_id",
          file,
          [...path, "id"],
          `the name the other file gives category ${id} ("${known.name}")`,
          category.name,
        );
      else mergeDeclaration(known, category);
      return;
    }
    const sameName = this.categoryNames.get(category.name);
    if (sameName !== undefined)
      this.issue(
        "duplicate_category_name",
        file,
        [...path, "name"],
        `a name no other category has (category ${sameName} is also "${category.name}")`,
        category.name,
        "warning",
      );
    else this.categoryNames.set(category.name, id);
    this.categories.set(id, category);
  }

  /** A new group for the shapes of one record of `item`, never one the item already uses. */
  groupFor(item: Item): number {
    let next = this.nextGroup.get(item);
    if (next === undefined) {
      next = 1;
      for (const a of item.annotations) if (a.group >= next) next = a.group + 1;
    }
    this.nextGroup.set(item, next + 1);
    return next;
  }

  /** Reports an annotation id already used in the same file; false when it is. */
  uniqueAnnotationId(file: string, path: (string | number)[], id: number): boolean {
    let ids = this.annotationIds.get(file);
    if (!ids) {
      ids = new IdSet();
      this.annotationIds.set(file, ids);
    }
    if (ids.add(id)) return true;
    this.issue("duplicate_id", file, [...path, "id"], "an annotation id unique in its file", id);
    return false;
  }

  /** The item an annotation record names by `image_id`; reports and counts the record when none. */
  imageOf(file: string, subset: string, path: (string | number)[], v: Obj): Item | undefined {
    if (!checkId(this, file, path, v, "image_id", "an integer image id")) return void this.skipped++;
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

  /** A file that could not be read to its end: its pending category checks would only add noise. */
  abandonFile(): void {
    this.fileOpen = false;
    this.fileCategoryIds = new Set();
    this.categoryChecks.clear();
  }

  /**
   * The end of a file: its task is settled, its categories get their `declaredIn`, a labelled
   * file without `categories` is one error, and annotations read before their category was
   * declared are checked now; those whose category never came, or whose keypoint count disagrees
   * with it, are reported and skipped (and taken out of the items when the model is kept).
   */
  endOfFile(state: FileState, hadAnnotations: boolean): void {
    this.fileOpen = false;
    this.fileCategoryIds = new Set();
    const file = state.name;
    const task = state.finalTask();
    for (const { id, keys } of state.declared) {
      const c = this.categories.get(id);
      if (!c) continue;
      c.declaredIn ??= {};
      c.declaredIn[task] ??= keys;
    }
    const hasCategories = state.members.has("categories");
    const known = this.sourceFiles.find((f) => f.task === task && f.subset === state.subset);
    if (known) {
      known.hasCategories ||= hasCategories;
      known.hasAnnotations ||= state.members.has("annotations");
    } else
      this.sourceFiles.push({
        task,
        subset: state.subset,
        hasCategories,
        hasAnnotations: state.members.has("annotations"),
      });
    const noCategories = !hasCategories && hadAnnotations && LABELLED_TASKS.has(task);
    if (noCategories)
      this.issue(
        "missing_field",
        file,
        ["categories"],
        `a categories list (a ${task} file's annotations name categories)`,
        undefined,
      );
    const bad = new Set<number>();
    for (const f of this.categoryChecks.unresolved(this.categories)) {
      const path = ["annotations", f.index];
      if (f.names === undefined && !noCategories)
        this.issue(
          "unknown_category",
          file,
          [...path, "category_id"],
          "the id of a category in the file",
          f.categoryId,
        );
      else if (f.names !== undefined) {
        // Only a warning: the record stays (see `keypointCountIssue`).
        keypointCountIssue(this, file, path, f.names, f.length);
        continue;
      }
      this.skipped++;
      bad.add(f.index);
    }
    this.categoryChecks.clear();
    if (bad.size === 0 || !this.keep) return;
    for (const item of this.itemOrder) {
      const isBad = (a: Annotation) =>
        a.source?.file === file && a.source.list === "annotations" && bad.has(a.source.index);
      if (!item.annotations.some(isBad)) continue;
      item.annotations = item.annotations.filter((a) => !isBad(a));
    }
  }

  /** The file's top-level members say it is not COCO at all: one error, naming what it has. */
  notCoco(file: string, members: ReadonlySet<string>): void {
    const found = members.size === 0 ? "an empty object" : `only ${[...members].slice(0, 8).join(", ")}`;
    this.issue(
      "not_coco",
      file,
      [],
      "a COCO file: an object with images, annotations or categories",
      described(found),
    );
  }

  bad(code: IssueCode, file: string, path: (string | number)[], expected: string, found: unknown): undefined {
    this.issue(code, file, path, expected, found);
    this.skipped++;
  }
}
