// The corpus fixtures: small hand-written files, each reproducing the structure of one real file
// from another project (values differ; README.md beside this file names the producer, the real
// file, its repository and commit). What each file's producer meant is the expectation: none of
// these files has an error, and the warnings listed are the only ones expected.

/** One fixture folder under test/corpus/. */
export interface CorpusFixture {
  /** Folder under test/corpus/. */
  name: string;
  /** File inside the folder that is the input (a bare JSON); without it the folder is the input. */
  input?: string;
  /** What the real file does that this fixture imitates. */
  oddity: string;
  /** Warning codes expected from validation, with their counts (warnings at `warningAt`/`mayWarnAt` aside). */
  warnings: Record<string, number>;
  /** JSON pointer prefixes that must carry a warning (any code): a problem pycocotools ignores. */
  warningAt?: string[];
  /** JSON pointer prefixes where a warning is accepted but not required. */
  mayWarnAt?: string[];
  /** Each task file read (path in the folder) → the zip entry the export should write for it. */
  files: Record<string, string>;
  /** Panoptic PNG folders: folder in the fixture → folder in the zip. */
  pngDirs?: Record<string, string>;
  /**
   * Error codes (with counts) that cocokit's rules find in this file although its producer meant it
   * as valid: such a fixture is checked for exactly these errors, and not round-tripped.
   */
  errors?: Record<string, number>;
}

const KEYPOINTS = "annotations/person_keypoints_default.json";
const INSTANCES = "annotations/instances_default.json";

export const CORPUS_FIXTURES: CorpusFixture[] = [
  {
    name: "roboflow-zero-ids",
    oddity:
      "Roboflow export: <split>/_annotations.coco.json, image and annotation ids from 0, category 0 is the supercategory of the others, segmentation []",
    warnings: { category_id_zero: 1 },
    files: { "train/_annotations.coco.json": "annotations/instances_train.json" },
  },
  {
    name: "coco2017-subset",
    oddity:
      "official COCO 2017 files: captions without `categories`, crowd masks as uncompressed RLE with ids above 2^32, person_keypoints with its own category list (keypoints, skeleton), an image without annotations",
    warnings: {},
    files: {
      "annotations/instances_val2017.json": "annotations/instances_val2017.json",
      "annotations/person_keypoints_val2017.json": "annotations/person_keypoints_val2017.json",
      "annotations/captions_val2017.json": "annotations/captions_val2017.json",
    },
  },
  {
    name: "image-info-with-categories",
    input: "images_info_sample.json",
    oddity: "image_info file with categories and no `annotations` key, named without a task prefix",
    warnings: {},
    files: { "images_info_sample.json": "annotations/image_info_default.json" },
  },
  {
    name: "panoptic-beside-json",
    input: "panoptic_sample.json",
    oddity:
      "bare panoptic JSON with its PNG folder beside it; categories with color and isthing; large segment ids",
    warnings: {},
    files: { "panoptic_sample.json": "annotations/panoptic_sample.json" },
    pngDirs: { panoptic_sample: "annotations/panoptic_sample" },
  },
  {
    name: "panoptic-detection-format",
    input: "panoptic_detection_format.json",
    oddity:
      "instances in detection format named panoptic_*.json: compressed RLE strings with iscrowd 0, annotation id 0 among others",
    warnings: { task_mismatch: 1 },
    files: { "panoptic_detection_format.json": "annotations/instances_detection_format.json" },
  },
  {
    name: "lvis-v1",
    input: "lvis_v1_val_sample.json",
    oddity:
      "LVIS v1: no iscrowd, images with neg_category_ids/not_exhaustive_category_ids, categories with synset, synonyms, def, frequency, counts",
    warnings: {},
    files: { "lvis_v1_val_sample.json": INSTANCES },
  },
  {
    name: "sahi-area",
    input: "terrain_coco.json",
    oddity: "sahi/labelme2coco writer: no info or licenses, `area` is the image's area",
    warnings: { area_mismatch: 2 },
    files: { "terrain_coco.json": INSTANCES },
  },
  {
    name: "labelme2coco",
    input: "annotations.json",
    oddity:
      "labelme2coco: supercategory null, unused category 0 `_background_`, ids from 0, top-level `type`, null info fields, multi-part polygons",
    warnings: { category_id_zero: 1 },
    files: { "annotations.json": INSTANCES },
  },
  {
    name: "mmdet-no-iscrowd",
    input: "coco_sample.json",
    oddity:
      "MMDetection test sample: no iscrowd, no segmentation, `score` on ground truth, info null, image id 0",
    warnings: {},
    files: { "coco_sample.json": INSTANCES },
  },
  {
    name: "obj365-unsorted",
    input: "unsorted_obj365_sample.json",
    oddity:
      "Objects365 sample: categories not sorted by id, iscrowd 1 without segmentation, `ignore` flag, zero-width box",
    warnings: {},
    files: { "unsorted_obj365_sample.json": INSTANCES },
  },
  {
    name: "wholebody-extra-fields",
    input: "coco_wholebody_val_sample.json",
    oddity: "COCO-WholeBody: extra keypoint arrays, boxes and *_valid booleans on each annotation",
    warnings: {},
    files: { "coco_wholebody_val_sample.json": KEYPOINTS },
  },
  {
    name: "posetrack-large-ids",
    input: "posetrack18_val_sample.json",
    oddity:
      "PoseTrack18: image ids ~1e10 and annotation ids ~1e12 (above 2^32), `iscrowd: false`, no area, extra image arrays",
    warnings: {},
    files: { "posetrack18_val_sample.json": KEYPOINTS },
  },
  {
    name: "humanart-keypoints-21",
    input: "humanart_sample.json",
    oddity:
      "Human-Art: the category names 21 keypoints, `keypoints` holds 17 triples and `keypoints_21` 21; ids ~1e12",
    warnings: { keypoint_count_mismatch: 1 },
    files: { "humanart_sample.json": KEYPOINTS },
  },
  {
    name: "aic-no-area",
    input: "aic_val_sample.json",
    oddity: "AI Challenger: keypoint annotations without area, iscrowd and segmentation",
    warnings: {},
    files: { "aic_val_sample.json": KEYPOINTS },
  },
  {
    name: "jhmdb-no-num-keypoints",
    input: "jhmdb_sub1_sample.json",
    oddity: "JHMDB: keypoint annotations without area, iscrowd, num_keypoints and segmentation; ids ~1e12",
    warnings: {},
    files: { "jhmdb_sub1_sample.json": KEYPOINTS },
  },
  {
    name: "ochuman-rle-keypoints",
    input: "ochuman_val_sample.json",
    oddity: "OCHuman: keypoint annotations whose segmentation is compressed RLE with iscrowd 0",
    warnings: {},
    files: { "ochuman_val_sample.json": KEYPOINTS },
  },
  {
    name: "crowdpose-skeleton",
    input: "crowdpose_val_sample.json",
    oddity:
      "CrowdPose: 14 keypoints with COCO's 17-point skeleton, a num_keypoints that is not the labelled count, no area or segmentation",
    warnings: { num_keypoints_mismatch: 1 },
    errors: { invalid_skeleton: 1 },
    files: { "crowdpose_val_sample.json": KEYPOINTS },
  },
  {
    name: "onehand-licenses-string",
    input: "onehand10k_test_sample.json",
    oddity: "OneHand10K: `licenses` is a string; no num_keypoints",
    warnings: { invalid_type: 1 },
    files: { "onehand10k_test_sample.json": KEYPOINTS },
  },
  {
    name: "vw300-no-bbox",
    input: "anno_300vw_sample.json",
    oddity: "300VW: keypoint annotations without bbox; category without supercategory or keypoint names",
    warnings: {},
    mayWarnAt: ["/annotations/"],
    files: { "anno_300vw_sample.json": KEYPOINTS },
  },
  {
    name: "cvat-export",
    oddity:
      "CVAT COCO 1.0: attributes with occluded, rotation and custom empty strings; empty-string placeholders in info, licenses and images",
    warnings: {},
    files: { "annotations/instances_default.json": "annotations/instances_default.json" },
  },
  {
    name: "datumaro-all-tasks",
    oddity:
      "Datumaro: every task of one subset; captions with `categories: []` and category_id 0; image_info with empty lists; keypoint categories with no names and a 0-based skeleton; panoptic PNG folder",
    warnings: {},
    mayWarnAt: ["/categories/0/skeleton", "/categories/1/skeleton"],
    files: Object.fromEntries(
      ["instances", "person_keypoints", "captions", "labels", "image_info", "stuff", "panoptic"].map((t) => [
        `annotations/${t}_train.json`,
        `annotations/${t}_train.json`,
      ]),
    ),
    pngDirs: { "annotations/panoptic_train": "annotations/panoptic_train" },
  },
];
