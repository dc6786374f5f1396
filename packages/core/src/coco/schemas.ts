import { fromCountsString, RleError } from "@cocokit/rle";
import * as z from "zod/mini";
import { skeletonProblem } from "./skeleton.js";

/**
 * zod schemas of the COCO task files: the truth of what a valid record is. Import checks records
 * by hand on its hot path (`src/coco/*-record.ts`, `annotation-*.ts`); a property test proves that
 * both accept and reject the same records, at the same JSON pointer. The server publishes these
 * as OpenAPI. Objects are `loose`: unknown fields are allowed and kept, because real files carry
 * extra fields that a faithful round trip writes back. What needs more than one record (an
 * `image_id` naming an image, an RLE `size` equal to its image's) is checked by import only.
 * Written with `zod/mini`, whose functions a bundler drops when unused: import never runs these
 * schemas, so a page that only imports and exports datasets does not ship a validator it never calls.
 */

/** An id: an integer JSON.parse reads exactly (below 2^53). */
const id = z.int();
/** A finite number, with any further checks (`z.nonnegative()`). */
function finite(...checks: z.core.$ZodCheck<number>[]) {
  return z.number().check(z.refine(Number.isFinite, "expected a finite number"), ...checks);
}

/** `info`: free-form; COCO's fields are all optional. */
export const cocoInfoSchema = z.looseObject({
  description: z.optional(z.string()),
  url: z.optional(z.string()),
  version: z.optional(z.string()),
  year: z.optional(z.union([z.int(), z.string()])),
  contributor: z.optional(z.string()),
  date_created: z.optional(z.string()),
});

/** One entry of `licenses`. */
export const cocoLicenseSchema = z.looseObject({
  id: z.int(),
  name: z.optional(z.string()),
  url: z.optional(z.string()),
});

/** One entry of `images`. */
export const cocoImageSchema = z.looseObject({
  id,
  file_name: z.string(),
  width: z.optional(z.int().check(z.positive())),
  height: z.optional(z.int().check(z.positive())),
});

/**
 * One entry of `categories`: `keypoints` and `skeleton` for person_keypoints (skeleton pairs all
 * 1-based or all 0-based indices of the keypoint names), other fields (`isthing`, `color`, …) free.
 */
export const cocoCategorySchema = z
  .looseObject({
    id,
    name: z.string(),
    supercategory: z.optional(z.nullable(z.string())),
    keypoints: z.optional(z.array(z.string())),
    skeleton: z.optional(z.array(z.tuple([z.int(), z.int()]))),
  })
  .check(
    z.superRefine((c, ctx) => {
      const bad = c.skeleton ? skeletonProblem(c.skeleton, c.keypoints?.length ?? 0) : -1;
      if (bad >= 0)
        ctx.addIssue({
          code: "custom",
          path: ["skeleton", bad],
          message: "keypoint index outside the keypoint list",
        });
    }),
  );

/** `[x, y, width, height]` with non-negative size. */
export const cocoBboxSchema = z.tuple([finite(), finite(), finite(z.nonnegative()), finite(z.nonnegative())]);

/** One polygon: an even count of at least 6 finite coordinates. */
export const cocoPolygonSchema = z.array(finite()).check(
  z.minLength(6),
  z.refine((p) => p.length % 2 === 0, "expected an even count of coordinates"),
);

/** Polygons: a list of them (empty for a box-only annotation). */
export const cocoPolygonsSchema = z.array(cocoPolygonSchema);

/**
 * RLE: `size` is `[height, width]`; `counts` is the compressed string pycocotools writes, or the
 * list of runs (uncompressed RLE, crowd annotations) adding up to height × width.
 */
export const cocoRleSchema = z
  .looseObject({
    size: z.tuple([z.int().check(z.nonnegative()), z.int().check(z.nonnegative())]),
    counts: z.union([z.string(), z.array(z.int().check(z.nonnegative()))]),
  })
  .check(
    z.superRefine((rle, ctx) => {
      const [h, w] = rle.size;
      if (typeof rle.counts === "string") {
        try {
          fromCountsString(rle.counts, h, w);
        } catch (e) {
          if (!(e instanceof RleError)) throw e;
          ctx.addIssue({
            code: "custom",
            path: ["counts"],
            message: "expected a valid compressed RLE string",
          });
        }
      } else if (rle.counts.reduce((a, b) => a + b, 0) !== h * w)
        ctx.addIssue({ code: "custom", path: ["counts"], message: `expected counts adding up to ${h * w}` });
    }),
  );

/** The fields every annotation may have besides its shapes. */
const annotationCommon = {
  id,
  image_id: id,
  score: z.optional(finite()),
  attributes: z.optional(z.record(z.string(), z.unknown())),
};

/** The fields of instances, stuff and person_keypoints annotations. */
const instanceFields = {
  ...annotationCommon,
  category_id: id,
  segmentation: z.optional(z.union([cocoPolygonsSchema, cocoRleSchema])),
  area: z.optional(finite(z.nonnegative())),
  bbox: z.optional(cocoBboxSchema),
  iscrowd: z.optional(z.union([z.literal(0), z.literal(1), z.boolean()])),
};

/** One entry of `annotations` of an instances (or stuff) file: a segmentation, or at least a bbox. */
export const cocoAnnotationSchema = z.looseObject(instanceFields).check(
  z.refine((a) => a.segmentation !== undefined || a.bbox !== undefined, {
    path: ["segmentation"],
    message: "expected a segmentation or at least a bbox",
  }),
);

/** One entry of `annotations` of a person_keypoints file: x, y, visibility (0, 1, 2) triples. */
export const cocoKeypointsAnnotationSchema = z.looseObject({
  ...instanceFields,
  keypoints: z.array(finite()).check(
    z.refine((k) => k.length % 3 === 0, "expected x, y, visibility triples"),
    z.superRefine((k, ctx) => {
      for (let i = 2; i < k.length; i += 3)
        if (k[i] !== 0 && k[i] !== 1 && k[i] !== 2)
          ctx.addIssue({ code: "custom", path: [i], message: "expected visibility 0, 1 or 2" });
    }),
  ),
  num_keypoints: z.optional(z.int().check(z.nonnegative())),
});

/** One entry of `annotations` of a captions file (`id` may be absent; `category_id` is usually 0 or absent). */
export const cocoCaptionAnnotationSchema = z.looseObject({
  ...annotationCommon,
  id: z.optional(id),
  caption: z.string(),
  category_id: z.optional(id),
});

/** One entry of `annotations` of a labels file. */
export const cocoLabelAnnotationSchema = z.looseObject({ ...annotationCommon, category_id: id });

/** One segment of a panoptic annotation. */
export const cocoSegmentSchema = z.looseObject({
  id: z.int().check(z.positive()),
  category_id: id,
  area: z.optional(finite()),
  bbox: z.optional(cocoBboxSchema),
  iscrowd: z.optional(z.union([z.literal(0), z.literal(1)])),
});

/** One entry of `annotations` of a panoptic file: the PNG of segment ids and its segments. */
export const cocoPanopticAnnotationSchema = z.looseObject({
  image_id: id,
  file_name: z.string(),
  segments_info: z.array(cocoSegmentSchema),
});

// Labelled tasks need `categories` once they have annotations; captions and image_info never.
function taskFile<A extends z.ZodMiniType>(annotation: A, labelled: boolean) {
  const file = z.looseObject({
    info: z.optional(cocoInfoSchema),
    licenses: z.optional(z.array(cocoLicenseSchema)),
    images: z.optional(z.array(cocoImageSchema)),
    annotations: z.optional(z.array(annotation)),
    categories: z.optional(z.array(cocoCategorySchema)),
  });
  return file.check(
    z.superRefine((f, ctx) => {
      if (f.images === undefined && f.annotations === undefined && f.categories === undefined)
        ctx.addIssue({
          code: "custom",
          path: [],
          message: "expected a COCO file: images, annotations or categories",
        });
      const annotated = (f.annotations?.length ?? 0) > 0;
      if (annotated && f.images === undefined)
        ctx.addIssue({ code: "custom", path: ["images"], message: "expected an images list" });
      if (annotated && labelled && f.categories === undefined)
        ctx.addIssue({ code: "custom", path: ["categories"], message: "expected a categories list" });
    }),
  );
}

/** An instances file (`instances_<subset>.json`). */
export const cocoInstancesFileSchema = taskFile(cocoAnnotationSchema, true);
/** A person_keypoints file. */
export const cocoPersonKeypointsFileSchema = taskFile(cocoKeypointsAnnotationSchema, true);
/** A captions file. */
export const cocoCaptionsFileSchema = taskFile(cocoCaptionAnnotationSchema, false);
/** A labels file. */
export const cocoLabelsFileSchema = taskFile(cocoLabelAnnotationSchema, true);
/** An image_info file: images only (any annotations are ignored by readers). */
export const cocoImageInfoFileSchema = taskFile(z.unknown(), false);
/** A panoptic file (`panoptic_<subset>.json` beside the `panoptic_<subset>/` PNG folder). */
export const cocoPanopticFileSchema = taskFile(cocoPanopticAnnotationSchema, true);
/** A stuff file: instances-shaped, masks as RLE. */
export const cocoStuffFileSchema = taskFile(cocoAnnotationSchema, true);

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

/** The schema of one annotation record of each task that has annotations of its own. */
export const cocoAnnotationSchemas = {
  instances: cocoAnnotationSchema,
  stuff: cocoAnnotationSchema,
  person_keypoints: cocoKeypointsAnnotationSchema,
  captions: cocoCaptionAnnotationSchema,
  labels: cocoLabelAnnotationSchema,
  panoptic: cocoPanopticAnnotationSchema,
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
