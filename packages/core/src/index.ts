/**
 * @cocokit/core: COCO datasets in TypeScript. Browser-safe; Node's path helpers are in
 * `@cocokit/core/node`. Grouped by concept, in the order a newcomer meets them: the model,
 * reading, writing, records without a Dataset, problems, COCO's rules, transforms, formats.
 * @module
 */

// --- the dataset model: plain data (survives structuredClone) ---
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
  SourceTaskFile,
} from "./model/types.js";
export { sourcePointer } from "./model/record-source.js";

// --- reading: bytes, Blobs, streams, zips → Dataset + Report ---
export { importDataset, validateDataset } from "./read/import-dataset.js";
export type { DatasetInput } from "./read/open-input.js";
export { type FolderInput, folderInput } from "./read/folder-input.js";
export type { ImportResult, LayoutInfo, ReadDatasetOptions, ValidationResult } from "./read/read-options.js";
export { importJson } from "./import/import-files.js";
export type { DecodedPng, ImportOptions } from "./import/import-options.js";
export type { LayoutName } from "./layouts/detect-layout.js";
export type { FileTree, TreeFile } from "./layouts/file-tree.js";
export { decodePanopticPng } from "./panoptic/decode-png.js";

// --- media: image files matched to items, their bytes in a side table ---
export type { AttachMediaOptions, AttachMediaResult } from "./media/attach-media.js";
export { attachMedia } from "./media/attach-media.js";
export type { MatchStrategy, MediaMatch, MediaMatchReport } from "./media/match-media.js";
export type { MediaFiles } from "./media/media-files.js";
export { joinMediaFiles, mediaFilesFromMap, mediaFilesOfTree } from "./media/media-files.js";

// --- writing: Dataset → COCO files, a zip or one JSON, as streams ---
export type { ArchiveContainer, ArchivePlan, ExportArchiveOptions } from "./export/export-archive.js";
export {
  ARCHIVE_MIME_TYPES,
  archiveToBlob,
  exportArchive,
  exportArchiveToBlob,
  planArchive,
} from "./export/export-archive.js";
export { exportDataset, exportJson } from "./export/export-dataset.js";
export type { ExportFile, ExportOptions, ExportResult } from "./export/export-options.js";

// --- records: streaming in and out without a Dataset (servers, train2017-sized files) ---
export type { AnnotationRecord, BatchFile, DatasetHead, RecordBatch } from "./records/record-batch.js";
export type { ReadRecordsOptions } from "./records/read-records.js";
export { readCocoRecords } from "./records/read-records.js";
export type {
  ImageAnnotations,
  TaskFileHead,
  WriteCounts,
  WriteTaskFileOptions,
} from "./records/write-task-file.js";
export { writeTaskFile } from "./records/write-task-file.js";
export type { RecordsExportResult, RecordTaskFile } from "./records/export-records.js";
export { recordsJson, recordsZip, recordTaskFiles } from "./records/export-records.js";
export type { SubsetTaskFilesOptions } from "./export/task-files.js";
export { annotatedTasks, exportSubsetName, subsetTaskFiles } from "./export/task-files.js";
export type { JsonProblem, JsonRecord, ReadProgress, ScanOptions } from "./json/records.js";
export { scanRecords } from "./json/records.js";

// --- progress and cancellation, the same for every long operation ---
export type {
  ProgressEvent,
  ProgressListener,
  ProgressOptions,
  ProgressPhase,
  ProgressUnit,
} from "./progress/progress.js";

// --- problems: one Report shape, closed code sets, a kind per code ---
export type { Issue, IssueCode, Severity } from "./report/issue.js";
export type { Report, ReportOptions } from "./report/report.js";
export type { CocokitErrorOptions } from "./errors.js";
export { CocokitError, InternalError, isCocokitError } from "./errors.js";
export type { CoreErrorCode, ErrorCode, RleCode, ToolErrorCode } from "./errors/codes.js";
export type { CocokitCode, ErrorKind } from "./errors/kinds.js";
export {
  codeKind,
  ERROR_KINDS,
  exitCodeOf,
  httpStatusOf,
  isCocokitCode,
  isReportCode,
} from "./errors/kinds.js";

// --- COCO's rules: the one place that says what a record means ---
export { COCO_TASKS, decideTask, taskFromFileName, taskOfAnnotation } from "./coco/tasks.js";
export { objectArea, polygonArea } from "./coco/area.js";
export { isCrowd } from "./coco/crowd.js";
export { groupCocoObjects, isCrowdObject } from "./coco/objects.js";
export type {
  CocoAnnotation,
  CocoBbox,
  CocoCaptionAnnotation,
  CocoCaptionsFile,
  CocoCategory,
  CocoImage,
  CocoImageInfoFile,
  CocoInfo,
  CocoInstancesFile,
  CocoKeypointsAnnotation,
  CocoLabelAnnotation,
  CocoLabelsFile,
  CocoLicense,
  CocoPanopticAnnotation,
  CocoPanopticFile,
  CocoPersonKeypointsFile,
  CocoRleObject,
  CocoSegment,
  CocoStuffFile,
} from "./coco/schemas.js";
export {
  cocoAnnotationSchema,
  cocoCaptionAnnotationSchema,
  cocoCategorySchema,
  cocoFileSchemas,
  cocoImageSchema,
  cocoInfoSchema,
  cocoInstancesFileSchema,
  cocoKeypointsAnnotationSchema,
  cocoLabelAnnotationSchema,
  cocoLicenseSchema,
  cocoPanopticAnnotationSchema,
  cocoPersonKeypointsFileSchema,
  cocoRleSchema,
  cocoSegmentSchema,
} from "./coco/schemas.js";

// --- transforms and statistics ---
export type { FilterOptions } from "./transforms/filter.js";
export { filterDataset } from "./transforms/filter.js";
export type { MergeOptions, MergeResult } from "./transforms/merge.js";
export { mergeDatasets } from "./transforms/merge.js";
export type { RemapOptions } from "./transforms/remap.js";
export { remapCategories } from "./transforms/remap.js";
export type { SplitOptions } from "./transforms/split.js";
export { splitDataset } from "./transforms/split.js";
export { computeStats } from "./stats/compute-stats.js";
export type { CategoryStats, DatasetStats, SubsetStats } from "./stats/stats-collector.js";
export type { RecordStatsOptions } from "./stats/stats-from-records.js";
export { computeStatsFromRecords } from "./stats/stats-from-records.js";

// --- zip archives as data (the engine behind them is internal) ---
export { openZip } from "./zip/read-zip.js";
export type { OpenZipOptions, ZipArchive, ZipEntryInfo, ZipLimits } from "./zip/zip-archive.js";
