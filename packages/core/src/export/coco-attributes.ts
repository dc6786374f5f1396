type Obj = Record<string, unknown>;

/** `score` as a number: numbers as they are, numeric strings parsed, anything else left out (CVAT drops it with a warning). */
export function scoreOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** The COCO `attributes` object of an annotation: every attribute but `is_crowd` and `score`; undefined when none is left. */
export function cocoAttributes(attributes: Readonly<Obj>): Obj | undefined {
  let rest: Obj | undefined;
  for (const k in attributes) {
    if (k === "is_crowd" || k === "score") continue;
    rest ??= {};
    rest[k] = attributes[k];
  }
  return rest;
}

/** A file name with its extension replaced (`d/a.jpg`, `.png` → `d/a.png`); a name without one gets it appended. */
export function withExtension(name: string, ext: string): string {
  const dotted = ext.startsWith(".") ? ext : `.${ext}`;
  const slash = name.lastIndexOf("/");
  const dot = name.lastIndexOf(".");
  return (dot > slash ? name.slice(0, dot) : name) + dotted;
}
