import { z } from "zod";

/**
 * zod schemas of the COCO task files, as CVAT and Datumaro write and read them
 * (shared/spec/datumaro-coco.md). They describe the raw file shape for users who work with COCO
 * JSON directly; objects are `loose` (unknown fields are allowed and kept), because real files
 * carry extra fields that a faithful round trip writes back. The importer checks records by hand
 * on its hot path (the same rules, with JSON pointers and every problem reported); these schemas
 * are the typed contract and are tested against every conformance fixture.
 */

const int = z.number().int();
const finite = z.number().refine(Number.isFinite, "expected a finite number");

/** `info`: free-form; COCO's fields are all optional. */
export const cocoInfoSchema = z.looseObject({
  description: z.string().optional(),
  url: z.string().optional(),
  version: z.string().optional(),
  year: z.union([int, z.string()]).optional(),
  contributor: z.string().optional(),
  date_created: z.string().optional(),
});

/** One entry of `licenses`. */
export const cocoLicenseSchema = z.looseObject({
  id: int,
  name: z.string().optional(),
  url: z.string().optional(),
});

/** One entry of `images`. */
export const cocoImageSchema = z.looseObject({
  id: int,
  file_name: z.string(),
  width: int.positive().optional(),
  height: int.positive().optional(),
  license: int.optional(),
  coco_url: z.string().optional(),
  flickr_url: z.string().optional(),
  date_captured: z.union([z.string(), z.number()]).optional(),
});

/** One entry of `categories` (keypoints and skeleton for person_keypoints). */
export const cocoCategorySchema = z.looseObject({
  id: int,
  name: z.string(),
  supercategory: z.string().optional(),
  keypoints: z.array(z.string()).optional(),
  skeleton: z.array(z.tuple([int, int])).optional(),
  isthing: int.optional(),
  color: z.array(int).optional(),
});

/** `[x, y, width, height]` with non-negative size. */
export const cocoBboxSchema = z.tuple([finite, finite, finite.nonnegative(), finite.nonnegative()]);

/** Polygons: each an even count of at least 6 coordinates. */
export const cocoPolygonsSchema = z.array(
  z
    .array(finite)
    .min(6)
    .refine((p) => p.length % 2 === 0, "expected an even count of coordinates"),
);

/** RLE: `counts` as the compressed string or the list of runs; `size` is `[height, width]`. */
export const cocoRleSchema = z.looseObject({
  size: z.tuple([int.nonnegative(), int.nonnegative()]),
  counts: z.union([z.string(), z.array(int.nonnegative())]),
});

/** One entry of `annotations` of an instances (or stuff) file. */
export const cocoAnnotationSchema = z.looseObject({
  id: int,
  image_id: int,
  category_id: int,
  segmentation: z.union([cocoPolygonsSchema, cocoRleSchema]).optional(),
  area: finite.optional(),
  bbox: cocoBboxSchema.optional(),
  iscrowd: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
  score: finite.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

/** One entry of `annotations` of a person_keypoints file: x, y, visibility (0, 1, 2) triples. */
export const cocoKeypointsAnnotationSchema = cocoAnnotationSchema.extend({
  keypoints: z
    .array(finite)
    .refine((k) => k.length % 3 === 0, "expected x, y, visibility triples")
    .refine(
      (k) => k.every((v, i) => i % 3 !== 2 || v === 0 || v === 1 || v === 2),
      "expected visibility 0, 1 or 2",
    ),
  num_keypoints: int.nonnegative().optional(),
});

/** One entry of `annotations` of a captions file (category_id is usually 0 or absent). */
export const cocoCaptionAnnotationSchema = z.looseObject({
  id: int,
  image_id: int,
  caption: z.string(),
  category_id: int.optional(),
  score: finite.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

/** One entry of `annotations` of a labels file. */
export const cocoLabelAnnotationSchema = z.looseObject({
  id: int,
  image_id: int,
  category_id: int,
  score: finite.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

/** One segment of a panoptic annotation. */
export const cocoSegmentSchema = z.looseObject({
  id: int.positive(),
  category_id: int,
  area: finite.optional(),
  bbox: cocoBboxSchema.optional(),
  iscrowd: z.union([z.literal(0), z.literal(1)]).optional(),
});

/** One entry of `annotations` of a panoptic file: the PNG of segment ids and its segments. */
export const cocoPanopticAnnotationSchema = z.looseObject({
  image_id: int,
  file_name: z.string(),
  segments_info: z.array(cocoSegmentSchema),
});

function taskFile<A extends z.ZodType>(annotation: A, categories: z.ZodType = z.array(cocoCategorySchema)) {
  return z.looseObject({
    info: cocoInfoSchema.optional(),
    licenses: z.array(cocoLicenseSchema).optional(),
    images: z.array(cocoImageSchema),
    annotations: z.array(annotation).optional(),
    categories: categories.optional(),
  });
}

/** An instances file (`instances_<subset>.json`). */
export const cocoInstancesFileSchema = taskFile(cocoAnnotationSchema);
/** A person_keypoints file. */
export const cocoPersonKeypointsFileSchema = taskFile(cocoKeypointsAnnotationSchema);
/** A captions file. */
export const cocoCaptionsFileSchema = taskFile(cocoCaptionAnnotationSchema);
/** A labels file. */
export const cocoLabelsFileSchema = taskFile(cocoLabelAnnotationSchema);
/** An image_info file: images only (any annotations are ignored by readers). */
export const cocoImageInfoFileSchema = taskFile(z.unknown());
/** A panoptic file (`panoptic_<subset>.json` beside the `panoptic_<subset>/` PNG folder). */
export const cocoPanopticFileSchema = taskFile(cocoPanopticAnnotationSchema);
/** A stuff file: instances-shaped, masks as RLE. */
export const cocoStuffFileSchema = taskFile(cocoAnnotationSchema);

/** The schema of each COCO task file, by task name. */
export const cocoFileSchemas = {
  instances: cocoInstancesFileSchema,
  person_keypoints: cocoPersonKeypointsFileSchema,
  captions: cocoCaptionsFileSchema,
  labels: cocoLabelsFileSchema,
  image_info: cocoImageInfoFileSchema,
  panoptic: cocoPanopticFileSchema,
  stuff: cocoStuffFileSchema,
} as const;

export type CocoInfo = z.infer<typeof cocoInfoSchema>;
export type CocoLicense = z.infer<typeof cocoLicenseSchema>;
export type CocoImage = z.infer<typeof cocoImageSchema>;
export type CocoCategory = z.infer<typeof cocoCategorySchema>;
export type CocoBbox = z.infer<typeof cocoBboxSchema>;
export type CocoRleObject = z.infer<typeof cocoRleSchema>;
export type CocoAnnotation = z.infer<typeof cocoAnnotationSchema>;
export type CocoKeypointsAnnotation = z.infer<typeof cocoKeypointsAnnotationSchema>;
export type CocoCaptionAnnotation = z.infer<typeof cocoCaptionAnnotationSchema>;
export type CocoLabelAnnotation = z.infer<typeof cocoLabelAnnotationSchema>;
export type CocoSegment = z.infer<typeof cocoSegmentSchema>;
export type CocoPanopticAnnotation = z.infer<typeof cocoPanopticAnnotationSchema>;
export type CocoInstancesFile = z.infer<typeof cocoInstancesFileSchema>;
export type CocoPersonKeypointsFile = z.infer<typeof cocoPersonKeypointsFileSchema>;
export type CocoCaptionsFile = z.infer<typeof cocoCaptionsFileSchema>;
export type CocoLabelsFile = z.infer<typeof cocoLabelsFileSchema>;
export type CocoImageInfoFile = z.infer<typeof cocoImageInfoFileSchema>;
export type CocoPanopticFile = z.infer<typeof cocoPanopticFileSchema>;
export type CocoStuffFile = z.infer<typeof cocoStuffFileSchema>;
