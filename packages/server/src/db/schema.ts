import type { Generated } from "kysely";

/** A dataset; its categories, images and annotations are rows of their own tables. */
export interface DatasetsTable {
  id: Generated<number>;
  name: string;
  /** COCO `info`, `licenses`, top-level extras and source files, as JSON (for exact round trips). */
  meta_json: string;
  created_at: string;
  updated_at: string;
}

export interface CategoriesTable {
  dataset_id: number;
  /** The COCO category id, kept as given (1..90 with gaps for coco-80). */
  category_id: number;
  /** Order of the category in the dataset. */
  position: number;
  name: string;
  /** The model's `Category` as JSON. */
  data_json: string;
}

export interface ImagesTable {
  /** The item id the API shows: unique over all datasets. */
  id: Generated<number>;
  dataset_id: number;
  subset: string;
  /** The COCO image id (unique within a subset). */
  image_id: number;
  file_name: string;
  width: number | null;
  height: number | null;
  /** The model's `Item` without annotations and media, as JSON. */
  data_json: string;
}

export interface AnnotationsTable {
  id: Generated<number>;
  dataset_id: number;
  /** `images.id` of the item it belongs to. */
  image_row: number;
  category_id: number | null;
  /** The model's `Annotation` as JSON. */
  data_json: string;
}

export interface JobsTable {
  id: Generated<number>;
  type: string;
  dataset_id: number | null;
  status: string;
  progress: number;
  phase: string | null;
  message: string | null;
  /** The job's inputs (upload path, export options) as JSON. */
  params_json: string;
  /** Small results (import counts), as JSON. */
  result_json: string | null;
  /** A result file under the data folder (an export zip, a validation report). */
  result_path: string | null;
  error_code: string | null;
  issues_count: number;
  cancel_requested: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  expires_at: string | null;
}

export interface JobIssuesTable {
  job_id: number;
  seq: number;
  code: string;
  severity: string;
  message: string;
  file: string | null;
  pointer: string | null;
}

/** An item's attached image file. */
export interface MediaTable {
  /** `images.id` of the item. */
  image_row: number;
  dataset_id: number;
  /** The file, relative to the data folder (`media/<dataset>/<row>-<job>.jpg`). */
  path: string;
  content_type: string;
  size: number;
  /** The entry of the zip it came from. */
  source: string;
}

/** Every table, for Kysely. */
export interface DB {
  datasets: DatasetsTable;
  categories: CategoriesTable;
  images: ImagesTable;
  annotations: AnnotationsTable;
  jobs: JobsTable;
  job_issues: JobIssuesTable;
  media: MediaTable;
}
