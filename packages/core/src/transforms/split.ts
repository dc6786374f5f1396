import { CocokitError } from "../errors.js";
import type { Dataset, Item } from "../model/types.js";

/** How `splitDataset` divides images into subsets. */
export interface SplitOptions {
  /** Subset name → share of the images, such as `{ train: 0.8, val: 0.2 }`; shares are normalised to sum to 1. */
  ratios: Readonly<Record<string, number>>;
  /** Seed of the shuffle; the same seed and input give the same split. Default 0. */
  seed?: number;
  /** Keep each category's share of images close to the ratios (images grouped by their rarest category). */
  stratify?: boolean;
}

/**
 * Reassigns every item to a new subset, by image, in the given ratios. Deterministic for a seed;
 * annotations are unchanged (import's `unchanged` mark included). Throws `invalid_split_ratio` for empty, negative or zero-sum ratios.
 * Image ids must stay unique inside a subset, so items from several source subsets that share an
 * id throw `duplicate_image_id`; reindex them first.
 * @example
 * splitDataset(dataset, { ratios: { train: 0.8, val: 0.2 }, seed: 7, stratify: true });
 */
export function splitDataset(dataset: Dataset, options: SplitOptions): Dataset {
  const names = Object.keys(options.ratios);
  const weights = names.map((name) => options.ratios[name] ?? 0);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (names.length === 0 || weights.some((w) => !(w >= 0) || !Number.isFinite(w)) || !(sum > 0)) {
    throw new CocokitError(
      "invalid_split_ratio",
      `expected subset shares like { train: 0.8, val: 0.2 } (non-negative, summing above 0), found ${JSON.stringify(options.ratios).slice(0, 200)}`,
    );
  }
  assertUniqueIds(dataset.items);
  const random = mulberry32(options.seed ?? 0);
  const groups = options.stratify === true ? groupByRarestCategory(dataset.items) : [dataset.items];
  // Walk the shuffled groups one after another, giving each image to the subset furthest below its
  // share so far: totals end within one image of the ratios, and so does every group's spread.
  const shares = weights.map((w) => w / sum);
  const assigned = names.map(() => 0);
  const subsetOf = new Map<Item, string>();
  let seen = 0;
  for (const group of groups) {
    for (const item of shuffle([...group], random)) {
      seen++;
      let best = 0;
      for (let k = 1; k < names.length; k++) {
        const deficit = (shares[k] ?? 0) * seen - (assigned[k] ?? 0);
        if (deficit > (shares[best] ?? 0) * seen - (assigned[best] ?? 0)) best = k;
      }
      assigned[best] = (assigned[best] ?? 0) + 1;
      subsetOf.set(item, names[best] as string);
    }
  }
  return {
    ...dataset,
    items: dataset.items.map((item) => ({ ...item, subset: subsetOf.get(item) ?? item.subset })),
  };
}

function assertUniqueIds(items: readonly Item[]): void {
  const seen = new Set<number>();
  for (const item of items) {
    if (seen.has(item.id)) {
      throw new CocokitError(
        "duplicate_image_id",
        `expected unique image ids to split into new subsets, found id ${item.id} twice (in different subsets); reindex first`,
      );
    }
    seen.add(item.id);
  }
}

// Each image goes with its least frequent category, so rare classes are spread across subsets too.
function groupByRarestCategory(items: readonly Item[]): Item[][] {
  const frequency = new Map<number, number>();
  for (const item of items) {
    for (const id of new Set(item.annotations.map((a) => a.categoryId))) {
      if (id !== undefined) frequency.set(id, (frequency.get(id) ?? 0) + 1);
    }
  }
  const groups = new Map<number | undefined, Item[]>();
  for (const item of items) {
    let rarest: number | undefined;
    for (const a of item.annotations) {
      if (a.categoryId === undefined) continue;
      const f = frequency.get(a.categoryId) ?? 0;
      const best = rarest === undefined ? Number.POSITIVE_INFINITY : (frequency.get(rarest) ?? 0);
      if (f < best || (f === best && rarest !== undefined && a.categoryId < rarest)) rarest = a.categoryId;
    }
    const group = groups.get(rarest);
    if (group === undefined) groups.set(rarest, [item]);
    else group.push(item);
  }
  return [...groups.entries()].sort(([a], [b]) => (a ?? -Infinity) - (b ?? -Infinity)).map(([, g]) => g);
}

function shuffle<T>(values: T[], random: () => number): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j] as T, values[i] as T];
  }
  return values;
}

// A small seeded PRNG (mulberry32): the same seed gives the same split on every platform.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
