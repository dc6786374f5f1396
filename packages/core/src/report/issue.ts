/**
 * Stable codes for every problem cocokit reports. Each is documented in docs/error-codes.md
 * (meaning, kind, an example pointer, how to fix it). Add a code there, and its kind to
 * `ERROR_KINDS` (errors/kinds.ts), when you add it here.
 */
export type IssueCode =
  // reading
  | "empty_input"
  | "malformed_json"
  | "invalid_encoding"
  | "unsupported_input"
  | "annotations_not_found"
  | "not_coco"
  | "task_mismatch"
  | "unreadable_file"
  | "aborted"
  // JSON text
  | "duplicate_key"
  | "forbidden_key"
  | "nesting_too_deep"
  | "unsafe_integer"
  // archives
  | "invalid_zip"
  | "unsafe_zip_entry"
  | "zip_limit_exceeded"
  | "zip_crc_mismatch"
  | "zip_entry_mismatch"
  | "duplicate_zip_entry"
  | "overlapping_zip_entries"
  // schema
  | "missing_field"
  | "invalid_type"
  | "invalid_value"
  // references and ids
  | "duplicate_id"
  | "unknown_image"
  | "unknown_category"
  | "category_id_zero"
  | "duplicate_category_name"
  // geometry
  | "invalid_bbox"
  | "bbox_out_of_bounds"
  | "invalid_polygon"
  | "invalid_rle_counts"
  | "invalid_rle_string"
  | "rle_size_mismatch"
  | "area_mismatch"
  // keypoints
  | "invalid_keypoints"
  | "invalid_keypoint_visibility"
  | "num_keypoints_mismatch"
  | "keypoint_count_mismatch"
  | "invalid_skeleton"
  // panoptic
  | "panoptic_segment_mismatch"
  // media
  | "missing_image_file"
  | "ambiguous_image_file"
  | "invalid_png"
  // export
  | "export_unknown_category"
  | "export_mask_size_mismatch"
  | "export_invalid_coordinates"
  // merge
  | "duplicate_image_id"
  | "duplicate_file_name"
  | "duplicate_annotation_id";

/** How bad a problem is: errors make strict import fail; warnings never do. */
export type Severity = "error" | "warning";

/**
 * One problem found in the input, shaped like a zod issue plus where it is: the file and an
 * RFC 6901 JSON pointer (`/annotations/1439/segmentation/counts`).
 */
export interface Issue {
  code: IssueCode;
  severity: Severity;
  message: string;
  /** The same location as `pointer`, as path segments. */
  path: (string | number)[];
  pointer: string;
  file?: string;
  /** What a valid value would look like, in words (`"an array of 4 numbers"`). */
  expected?: string;
  /** What was there instead, shortened to about 200 characters. */
  found?: string;
}

/** Turns path segments into an RFC 6901 JSON pointer (`["annotations", 3, "bbox"]` → `/annotations/3/bbox`). */
export function toPointer(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) out += `/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`;
  return out;
}
