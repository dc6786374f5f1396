/** A JSON object as parsed from a record. */
export type Obj = Record<string, unknown>;

/** True for a JSON object (not an array, not null). */
export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The fields of `o` that are not in `known`, kept verbatim for the round trip; undefined when none. */
export function extraOf(o: Obj, known: ReadonlySet<string>): Obj | undefined {
  let extra: Obj | undefined;
  for (const k in o) {
    if (known.has(k)) continue;
    extra ??= {};
    extra[k] = o[k];
  }
  return extra;
}
