import { z } from "zod";

export const DatasetSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    labels: z.array(z.string()),
    images_count: z.number().int(),
    annotations_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "Dataset" });

export const DatasetDetailSchema = DatasetSchema.extend({
  subsets: z.array(z.object({ name: z.string(), images: z.number().int(), annotations: z.number().int() })),
  categories: z.array(z.object({ id: z.number().int(), name: z.string(), annotations: z.number().int() })),
}).meta({ id: "DatasetDetail" });

export const CreateDatasetBody = z
  .object({
    name: z.string().min(1).max(256),
    labels: z.array(z.string().min(1)).optional(),
    preset: z.enum(["coco-80"]).optional(),
  })
  .refine((body) => !(body.labels && body.preset), { message: "give labels or a preset, not both" });

export const ItemSchema = z
  .object({
    id: z.number().int(),
    subset: z.string(),
    image_id: z.number().int(),
    file_name: z.string(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    /** Where the attached image is served (`POST /media` attaches them), or null. */
    image_url: z.string().nullable(),
    annotations: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: "Item" });

export const FORMAT_NAMES = ["COCO 1.0", "COCO Keypoints 1.0"] as const;

export const ImportQuery = z.object({
  format: z.enum(FORMAT_NAMES).default("COCO 1.0"),
  mode: z.enum(["replace", "append"]).default("replace"),
  /** The file's name (`instances_val2017.json`): a bare JSON's task and subset come from it. */
  filename: z.string().min(1).max(255).optional(),
});

export const ExportBody = z.object({
  format: z.enum(FORMAT_NAMES).default("COCO 1.0"),
  /** Also write each item's attached image (`images/<subset>/<file_name>`). */
  save_images: z.boolean().optional(),
  tasks: z
    .array(z.enum(["instances", "person_keypoints", "captions", "labels", "image_info", "panoptic", "stuff"]))
    .optional(),
  subsets: z.array(z.string()).optional(),
  segmentation_mode: z.enum(["guess", "polygons", "mask"]).optional(),
  reindex: z.boolean().optional(),
});
