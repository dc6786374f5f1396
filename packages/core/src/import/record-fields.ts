/** A JSON object as parsed from a record. */
export type Obj = Record<string, unknown>;

/** True for a JSON object (not an array, not null). */
export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The fields of `o` that are not in `known`, kept verbatim for the round trip; undefined when none.
 * A `__proto__` key (JSON.parse makes it an own property) is defined as data, never assigned: an
 * assignment would replace the copy's prototype. The reader already rejects such records; this
 * keeps a hand-made record from doing harm too.
 */
export function extraOf(o: Obj, known: ReadonlySet<string>): Obj | undefined {
  let extra: Obj | undefined;
  for (const k in o) {
    if (known.has(k)) continue;
    extra ??= {};
    if (k === "__proto__")
      Object.defineProperty(extra, k, { value: o[k], enumerable: true, writable: true, configurable: true });
    else extra[k] = o[k];
  }
  return extra;
}
