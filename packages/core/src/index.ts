/**
 * @cocokit/core: COCO datasets in TypeScript.
 * @module
 */

// Errors and reports
export { CocokitError, InternalError, isCocokitError } from "./errors.js";
export type { CocokitErrorOptions } from "./errors.js";
export { toPointer } from "./report/issue.js";
export type { Issue, IssueCode, Severity } from "./report/issue.js";

// The dataset model
export type {
  Annotation,
  AnnotationBase,
  BboxAnnotation,
  CaptionAnnotation,
  Category,
  CocoTask,
  Dataset,
  ExtraFields,
  ImageInfo,
  Item,
  LabelAnnotation,
  MaskAnnotation,
  MediaRef,
  PointsAnnotation,
  PolygonAnnotation,
  SourceRef,
} from "./model/types.js";

// Streaming JSON
export { scanRecords } from "./json/records.js";
export type { JsonRecord, ReadProgress, ScanOptions } from "./json/records.js";
export { ReportBuilder } from "./report/report.js";
export type { Report, ReportOptions } from "./report/report.js";

// --- import (schemas, file → model, validation, layouts, media) ---

// --- export (writer, zip, options) ---

// --- transforms and stats ---
