// The zod schemas are the truth of what a record is; import's hand-written fast path must agree
// with them on every record: the same verdict, and the same JSON pointers for what is wrong.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod/mini";
import { cocoAnnotationSchemas, cocoCategorySchema, cocoImageSchema } from "../src/coco/schemas.js";
import { validateFiles } from "../src/import/import-files.js";
import { toPointer } from "../src/report/issue.js";

type Task = "instances" | "person_keypoints" | "captions" | "labels";
const IMAGE = { id: 1, file_name: "a.jpg", width: 100, height: 80 };
const CATEGORY = { id: 1, name: "c", keypoints: ["a", "b", "c"], skeleton: [[1, 2]] };

const num = fc.double({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true });
const size = fc.double({ min: 0, max: 50, noNaN: true, noDefaultInfinity: true });
const polygon = fc
  .integer({ min: 3, max: 6 })
  .chain((n) => fc.array(num, { minLength: 2 * n, maxLength: 2 * n }));
const rle = fc
  .integer({ min: 0, max: 8000 })
  .map((a) => ({ size: [80, 100], counts: a === 0 ? [8000] : [a, 8000 - a] }));
const shared = {
  id: fc.integer({ min: 0, max: 2 ** 40 }),
  image_id: fc.constant(1),
  score: fc.option(num, { nil: undefined }),
  attributes: fc.option(
    fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.oneof(fc.boolean(), num, fc.string())),
    { nil: undefined },
  ),
};
const instanceShape = {
  category_id: fc.constant(1),
  bbox: fc.option(fc.tuple(num, num, size, size), { nil: undefined }),
  segmentation: fc.oneof(fc.array(polygon, { maxLength: 3 }), rle),
  area: fc.option(size, { nil: undefined }),
  iscrowd: fc.option(fc.constantFrom(0, 1, true, false), { nil: undefined }),
};
const visibility = fc.constantFrom(0, 1, 2);
const valid: Record<Task, fc.Arbitrary<Record<string, unknown>>> = {
  instances: fc.record({ ...shared, ...instanceShape }, { requiredKeys: ["id", "image_id", "category_id"] }),
  person_keypoints: fc.record(
    {
      ...shared,
      ...instanceShape,
      keypoints: fc
        .tuple(num, num, visibility, num, num, visibility, num, num, visibility)
        .map((k) => [...k]),
      num_keypoints: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    },
    { requiredKeys: ["id", "image_id", "category_id", "keypoints"] },
  ),
  captions: fc.record({ ...shared, caption: fc.string() }, { requiredKeys: ["image_id", "caption"] }),
  labels: fc.record(
    { ...shared, category_id: fc.constant(1) },
    { requiredKeys: ["id", "image_id", "category_id"] },
  ),
};

const ID_BREAKS = [1.5, "1", null, [1], 2 ** 53 + 2];
const BREAKS: Record<string, unknown[]> = {
  id: ID_BREAKS,
  image_id: ID_BREAKS,
  category_id: ID_BREAKS,
  bbox: [[1, 2, 3], [1, "2", 3, 4], [1, 2, -3, 4], [1, 2, 3, -4], "x", {}],
  area: [-1, "4", null, [], {}, true],
  iscrowd: [2, 3, "1", null, [], {}],
  score: ["0.5", null, []],
  attributes: [[], "x", 5],
  segmentation: [
    "poly",
    5,
    [[1, 2, 3]],
    [[1, 2, 3, 4, 5, 6, 7]],
    [[1, "2", 3, 4, 5, 6]],
    [[1, 2, 3, 4, 5, 6], null],
    { size: [80], counts: [8000] },
    { size: [80, "100"], counts: [8000] },
    { size: [80, 100], counts: [1, 2] },
    { size: [80, 100], counts: [-1, 8001] },
    { size: [80, 100], counts: "~~" },
    { size: [80, 100] },
    { counts: [8000] },
  ],
  keypoints: [[1, 2], [1, 2, 3, 1, 1, 1, 1, 1, 1], [1, "2", 1, 1, 1, 1, 1, 1, 1], "k"],
  num_keypoints: [-1, "2", 1.5],
  caption: [5, null, {}, []],
};

// The fields each task's records have: adding keypoints or shapes to a caption would make it
// another task's record (the content decides the task), so they are not "broken" captions.
const FIELDS: Record<Task, string[]> = {
  instances: [
    "id",
    "image_id",
    "category_id",
    "bbox",
    "area",
    "iscrowd",
    "score",
    "attributes",
    "segmentation",
  ],
  person_keypoints: [
    "id",
    "image_id",
    "category_id",
    "bbox",
    "area",
    "iscrowd",
    "score",
    "attributes",
    "segmentation",
    "keypoints",
    "num_keypoints",
  ],
  captions: ["id", "image_id", "score", "attributes", "caption"],
  labels: ["id", "image_id", "category_id", "score", "attributes"],
};

/** A record broken in one field: a bad value, or the field removed. */
function broken(task: Task): fc.Arbitrary<Record<string, unknown>> {
  const keys = FIELDS[task];
  return fc.tuple(valid[task], fc.constantFrom(...keys), fc.nat()).map(([record, key, n]) => {
    const values = BREAKS[key] as unknown[];
    const copy = { ...record };
    if (n % (values.length + 1) === values.length) delete copy[key];
    else copy[key] = values[n % (values.length + 1)];
    return copy;
  });
}

// zod's pointers for a failed parse; a union reports each branch, of which the one that got
// furthest (the longest path) is the one the value was meant for.
function zodPointers(schema: z.ZodMiniType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const out = new Set<string>();
  const visit = (issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      if (issue.code === "invalid_union" && issue.errors.length > 0) {
        const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
        const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0] ?? [];
        visit(best, path);
      } else out.add(toPointer(path.map((p) => (typeof p === "symbol" ? String(p) : p))));
    }
  };
  visit(result.error.issues, []);
  // The one rule over two fields (a segmentation or a bbox) is a refinement, which zod runs after
  // some other issues (range checks) and not after others (types); the fast path checks it only
  // for a record that is otherwise valid. So it counts only when it is the record's one problem.
  const rule = result.error.issues.some((i) => i.code === "custom" && i.path.join("/") === "segmentation");
  if (rule && out.size > 1) out.delete("/segmentation");
  return [...out].sort();
}

async function fastPathPointers(
  file: Record<string, unknown>,
  name: string,
  prefix: string,
): Promise<string[]> {
  const bytes = new TextEncoder().encode(JSON.stringify(file));
  const report = await validateFiles([
    {
      name,
      subset: "t",
      open: async function* () {
        yield bytes;
      },
    },
  ]);
  const pointers = report.issues.filter((i) => i.severity === "error").map((i) => i.pointer);
  return [...new Set(pointers.map((p) => (p.startsWith(prefix) ? p.slice(prefix.length) : `!${p}`)))].sort();
}

const RUNS = { numRuns: 150 };

describe("zod schemas and import's fast path", () => {
  for (const task of ["instances", "person_keypoints", "captions", "labels"] as const) {
    const schema = cocoAnnotationSchemas[task];
    const check = async (record: Record<string, unknown>) => {
      // Through JSON, as a file gives it (the schema sees exactly what the reader sees).
      const value = JSON.parse(JSON.stringify(record));
      const file = { images: [IMAGE], categories: [CATEGORY], annotations: [value] };
      const fast = await fastPathPointers(file, `${task}_t.json`, "/annotations/0");
      expect(fast).toEqual(zodPointers(schema, value));
    };
    it(`accept the same valid ${task} records`, async () => {
      await fc.assert(fc.asyncProperty(valid[task], check), RUNS);
    });
    it(`reject ${task} records broken in any one field at the same pointers`, async () => {
      await fc.assert(fc.asyncProperty(broken(task), check), { numRuns: 400 });
    });
  }

  const categoryBreaks: [string, unknown][] = [
    ["id", "1"],
    ["id", 2 ** 53 + 2],
    ["name", 5],
    ["name", undefined],
    ["supercategory", 5],
    ["keypoints", "a"],
    ["keypoints", [1]],
    ["skeleton", [[1, 9]]],
    ["skeleton", [[1]]],
    ["skeleton", "s"],
  ];
  it.each(categoryBreaks)("agree on a category whose %s is %j", async (key, bad) => {
    const category: Record<string, unknown> = {
      id: 1,
      name: "person",
      supercategory: null,
      keypoints: ["a", "b"],
      skeleton: [[1, 2]],
    };
    if (bad === undefined) delete category[key];
    else category[key] = bad;
    const fast = await fastPathPointers(
      { images: [IMAGE], categories: [category], annotations: [] },
      "person_keypoints_t.json",
      "/categories/0",
    );
    expect(fast.length).toBeGreaterThan(0);
    expect(fast).toEqual(zodPointers(cocoCategorySchema, category));
  });

  it.each([
    ["id", 1.5],
    ["file_name", 3],
    ["width", 0],
    ["height", "8"],
    ["id", undefined],
  ] as [string, unknown][])("agree on an image whose %s is %j", async (key, bad) => {
    const image: Record<string, unknown> = { ...IMAGE, [key]: bad };
    if (bad === undefined) delete image[key];
    const fast = await fastPathPointers(
      { images: [image], categories: [], annotations: [] },
      "instances_t.json",
      "/images/0",
    );
    expect(fast.length).toBeGreaterThan(0);
    expect(fast).toEqual(zodPointers(cocoImageSchema, image));
  });
});
