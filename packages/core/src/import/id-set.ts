// Ids below this go into the bitmap (16 MiB at most); others, rare, into a Set.
const BITMAP_LIMIT = 2 ** 27;

/**
 * A set of integer ids for duplicate checks over millions of records. COCO ids are mostly dense
 * small integers, which a growable bitmap holds in one bit each (800k annotations: 100 KB, not the
 * ~30 MB of a `Set`); negative and very large ids (COCO's crowd annotations use 12-digit ids) go
 * to a `Set`.
 */
export class IdSet {
  private bits = new Uint8Array(1 << 12);
  private readonly others = new Set<number>();

  /** Adds `id`; false when it was already there. */
  add(id: number): boolean {
    if (id < 0 || id >= BITMAP_LIMIT || !Number.isInteger(id)) {
      if (this.others.has(id)) return false;
      this.others.add(id);
      return true;
    }
    const byte = id >>> 3;
    if (byte >= this.bits.length) this.grow(byte);
    const mask = 1 << (id & 7);
    const bits = this.bits;
    if ((bits[byte] as number) & mask) return false;
    bits[byte] = (bits[byte] as number) | mask;
    return true;
  }

  private grow(byte: number): void {
    let size = this.bits.length;
    while (size <= byte) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.bits);
    this.bits = bigger;
  }
}
