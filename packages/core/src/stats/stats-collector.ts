/** Counts for one category. */
export interface CategoryStats {
  id: number;
  name: string;
  /** COCO objects (annotations) of this category. */
  annotations: number;
  /** Images with at least one annotation of this category. */
  images: number;
}

/** Counts for one subset. */
export interface SubsetStats {
  images: number;
  annotations: number;
}

/** What `computeStats` and `computeStatsFromRecords` report. Serialises to JSON as is. */
export interface DatasetStats {
  images: number;
  /** COCO annotation objects (a polygon with several parts counts once). */
  annotations: number;
  categories: CategoryStats[];
  /** Annotations whose category id is not among the categories. */
  unknownCategoryAnnotations: number;
  subsets: Record<string, SubsetStats>;
  crowd: number;
  /** COCO's area ranges: small < 32², medium < 96², large ≥ 96²; `unknown` has no area. */
  areas: { small: number; medium: number; large: number; unknown: number };
  imagesWithoutAnnotations: number;
  /** Keypoints by visibility flag: 0 not labelled, 1 labelled but hidden, 2 visible. */
  keypointVisibility: { 0: number; 1: number; 2: number };
}

/** One annotation object as the collector needs it. */
export interface StatsObject {
  /** Identifies the image across the whole input (an image id in one file, an item index in a dataset). */
  imageKey: string | number;
  categoryId?: number;
  crowd: boolean;
  area?: number;
  visibility?: ArrayLike<number>;
}

const SMALL = 32 * 32;
const MEDIUM = 96 * 96;

/**
 * Accumulates counts one image and one annotation at a time, so stats can be taken from a model
 * or from a stream of records in constant memory per annotation. It keeps only image keys (numbers
 * when it can: far smaller than strings), per image and per category.
 */
export class StatsCollector {
  private readonly imageSubset = new Map<string | number, string>();
  private readonly annotatedImages = new Set<string | number>();
  private readonly categoryImages = new Map<number, Set<string | number>>();
  private readonly categoryAnnotations = new Map<number, number>();
  private readonly subsetAnnotations = new Map<string, number>();
  private readonly stats: Pick<DatasetStats, "annotations" | "crowd" | "areas" | "keypointVisibility"> = {
    annotations: 0,
    crowd: 0,
    areas: { small: 0, medium: 0, large: 0, unknown: 0 },
    keypointVisibility: { 0: 0, 1: 0, 2: 0 },
  };

  addImage(imageKey: string | number, subset: string): void {
    this.imageSubset.set(imageKey, subset);
  }

  addObject(object: StatsObject, subset: string): void {
    const s = this.stats;
    s.annotations++;
    this.annotatedImages.add(object.imageKey);
    this.subsetAnnotations.set(subset, (this.subsetAnnotations.get(subset) ?? 0) + 1);
    if (object.crowd) s.crowd++;
    if (object.area === undefined || !Number.isFinite(object.area)) s.areas.unknown++;
    else if (object.area < SMALL) s.areas.small++;
    else if (object.area < MEDIUM) s.areas.medium++;
    else s.areas.large++;
    if (object.categoryId !== undefined) {
      this.categoryAnnotations.set(
        object.categoryId,
        (this.categoryAnnotations.get(object.categoryId) ?? 0) + 1,
      );
      let images = this.categoryImages.get(object.categoryId);
      if (images === undefined) {
        images = new Set();
        this.categoryImages.set(object.categoryId, images);
      }
      images.add(object.imageKey);
    }
    const visibility = object.visibility ?? [];
    for (let i = 0; i < visibility.length; i++) {
      const v = visibility[i];
      if (v === 0 || v === 1 || v === 2) s.keypointVisibility[v]++;
    }
  }

  /** The totals, with categories listed in the order given. */
  finish(categories: readonly { id: number; name: string }[]): DatasetStats {
    const known = new Set(categories.map((c) => c.id));
    let unknown = 0;
    for (const [id, count] of this.categoryAnnotations) if (!known.has(id)) unknown += count;
    const subsets: Record<string, SubsetStats> = {};
    for (const subset of this.imageSubset.values()) {
      subsets[subset] ??= { images: 0, annotations: this.subsetAnnotations.get(subset) ?? 0 };
      subsets[subset].images++;
    }
    let empty = 0;
    for (const key of this.imageSubset.keys()) if (!this.annotatedImages.has(key)) empty++;
    const s = this.stats;
    return {
      images: this.imageSubset.size,
      annotations: s.annotations,
      categories: categories.map((c) => ({
        id: c.id,
        name: c.name,
        annotations: this.categoryAnnotations.get(c.id) ?? 0,
        images: this.categoryImages.get(c.id)?.size ?? 0,
      })),
      unknownCategoryAnnotations: unknown,
      subsets,
      crowd: s.crowd,
      areas: s.areas,
      imagesWithoutAnnotations: empty,
      keypointVisibility: s.keypointVisibility,
    };
  }
}
