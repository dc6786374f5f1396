import { allFiniteNumbers } from "../coco/finite-numbers.js";
import { sourcePointer } from "../model/record-source.js";
import type { Annotation, Dataset, Item } from "../model/types.js";
import { type ProgressReporter, throwIfAborted } from "../progress/progress.js";
import { type IssueCode, toPointer } from "../report/issue.js";
import { type Report, ReportBuilder } from "../report/report.js";

function shorten(value: unknown): string {
  let shown: string;
  try {
    shown =
      JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) ??
      String(value);
  } catch {
    shown = String(value);
  }
  return shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
}

/**
 * Checks everything an export needs before a byte is written, and reports every problem (not the
 * first): labels the dataset lacks, masks whose size differs from their image, coordinates that
 * are not finite numbers (a mask of another size is only a warning while it is unchanged since
 * import). Paths point into the `Dataset` (`/items/3/annotations/0/bbox`); the
 * message also names the source file and pointer when the annotation was imported. Reports phase
 * `validate` (items checked) and stops on `signal`.
 */
export function checkForExport(
  dataset: Dataset,
  maxIssues?: number,
  run: { progress?: ProgressReporter; signal?: AbortSignal } = {},
): Report {
  const { progress, signal } = run;
  const total = dataset.items.length;
  const report = new ReportBuilder(maxIssues === undefined ? {} : { maxIssues });
  const categories = new Set(dataset.categories.map((c) => c.id));
  const add = (
    code: IssueCode,
    path: (string | number)[],
    expected: string,
    found: unknown,
    a: Annotation,
    severity: "error" | "warning" = "error",
  ) => {
    const pointer = toPointer(path);
    const where = a.source ? ` (read from ${a.source.file}#${sourcePointer(a.source)})` : "";
    const f = shorten(found);
    const kept = severity === "warning" ? "; it is written back as it was read" : "";
    report.add({
      code,
      severity,
      message: `${pointer}${where}: expected ${expected}, found ${f}${kept}`,
      path,
      pointer,
      ...(a.source ? { file: a.source.file } : {}),
      expected,
      found: f,
    });
  };
  dataset.items.forEach((item: Item, i) => {
    // Every item: one item's annotations take far less than the 100 ms an abort may wait.
    throwIfAborted(signal);
    if (progress?.active) progress.report({ phase: "validate", done: i, total, unit: "items" });
    item.annotations.forEach((a, j) => {
      const path = ["items", i, "annotations", j];
      // Category 0 without a declared category means "no label" (Datumaro writes it for unlabelled shapes).
      if (a.categoryId !== undefined && a.categoryId !== 0 && !categories.has(a.categoryId))
        add(
          "export_unknown_category",
          [...path, "categoryId"],
          "the id of a category of the dataset",
          a.categoryId,
          a,
        );
      if (a.type === "bbox" && !allFiniteNumbers(a.bbox))
        add("export_invalid_coordinates", [...path, "bbox"], "4 finite numbers", a.bbox, a);
      if (
        a.type === "polygon" &&
        (!allFiniteNumbers(a.points) || a.points.length < 6 || a.points.length % 2 !== 0)
      )
        add(
          "export_invalid_coordinates",
          [...path, "points"],
          "an even count of at least 6 finite numbers",
          a.points,
          a,
        );
      if (a.type === "points" && (!allFiniteNumbers(a.points) || a.points.length !== 2 * a.visibility.length))
        add(
          "export_invalid_coordinates",
          [...path, "points"],
          "finite x, y pairs, one per visibility",
          a.points,
          a,
        );
      if (a.area !== undefined && !Number.isFinite(a.area))
        add("export_invalid_coordinates", [...path, "area"], "a finite number", a.area, a);
      if (
        a.type === "mask" &&
        ((item.image.height !== undefined && a.rle.height !== item.image.height) ||
          (item.image.width !== undefined && a.rle.width !== item.image.width))
      )
        add(
          "export_mask_size_mismatch",
          [...path, "rle"],
          `a mask of ${item.image.height}×${item.image.width} (the image size)`,
          `${a.rle.height}×${a.rle.width}`,
          a,
          // An unchanged mask is written back as read, as the source had it (Datumaro's panoptic
          // fixture has a PNG smaller than its image): a warning, not a failure.
          a.unchanged === true ? "warning" : "error",
        );
    });
  });
  progress?.report({ phase: "validate", done: total, total, unit: "items" });
  return report.finish();
}
