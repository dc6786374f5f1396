// Hand-written files that reproduce what real COCO files from other projects do (test/corpus/,
// listed in test/corpus/fixtures.ts with the real file each imitates in test/corpus/README.md).
// For each: validation gives no error and only the expected warnings; a strict import exported
// to a zip and imported back keeps the items, annotations and categories; every task file is
// written with the same image, annotation and category ids; nothing the file lacked is added
// (no `categories: []` on captions, no area/iscrowd/num_keypoints/segmentation on records without
// them); every record keeps its values (supercategory null, iscrowd false, RLE as it was).
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePanopticPng } from "../src/index.js";
import type { Dataset } from "../src/model/types.js";
import { exportToPath, importPath, validatePath } from "../src/node/index.js";
import { CORPUS_FIXTURES, type CorpusFixture } from "./corpus/fixtures.js";

const CORPUS = fileURLToPath(new URL("./corpus/", import.meta.url));
type Doc = Record<string, unknown>;
type Rec = Record<string, unknown>;

const inputOf = (f: CorpusFixture) => join(CORPUS, f.name, f.input ?? "");
const readJson = async (path: string): Promise<Doc> => JSON.parse(await readFile(path, "utf8")) as Doc;
const under = (pointer: string | undefined, prefixes: string[] | undefined) =>
  (prefixes ?? []).some((p) => (pointer ?? "").startsWith(p));

/** Counts a re-import must keep: items, categories, and COCO annotations (shapes share an id). */
function countsOf(dataset: Dataset) {
  const annotations = new Set<string>();
  for (const item of dataset.items)
    for (const a of item.annotations)
      annotations.add(`${item.subset}/${(a as { task?: string }).task ?? ""}/${String(a.id)}`);
  return {
    items: dataset.items.length,
    categories: dataset.categories.length,
    annotations: annotations.size,
  };
}

/** Records of a section by id (panoptic annotations have none: by image_id). */
function byId(doc: Doc, section: string): Map<unknown, Rec> {
  const list = (doc[section] ?? []) as Rec[];
  const key = section === "annotations" && list.some((r) => "segments_info" in r) ? "image_id" : "id";
  return new Map(list.map((r) => [r[key], r]));
}

/** Ids of a task file, as a pycocotools user would list them. */
function idsOf(doc: Doc) {
  const anns = (doc.annotations ?? []) as Rec[];
  const segments = anns.flatMap((a) => ((a.segments_info ?? []) as Rec[]).map((s) => s.id));
  return {
    images: ((doc.images ?? []) as Rec[]).map((r) => r.id),
    annotations: anns.map((a) => ("segments_info" in a ? `image ${String(a.image_id)}` : a.id)),
    segments,
    categories: ((doc.categories ?? []) as Rec[]).map((r) => r.id),
  };
}

const SECTIONS = ["images", "annotations", "categories"] as const;

for (const fixture of CORPUS_FIXTURES.filter((f) => f.errors !== undefined)) {
  describe(`corpus fixture ${fixture.name}, which cocokit's rules reject (${fixture.oddity})`, () => {
    it(`validates with exactly the errors ${JSON.stringify(fixture.errors)}`, async () => {
      const report = await validatePath(inputOf(fixture));
      const counted: Record<string, number> = {};
      for (const i of report.issues) if (i.severity === "error") counted[i.code] = (counted[i.code] ?? 0) + 1;
      expect(counted).toEqual(fixture.errors);
    });
  });
}

for (const fixture of CORPUS_FIXTURES.filter((f) => f.errors === undefined)) {
  describe(`corpus fixture ${fixture.name} (${fixture.oddity})`, () => {
    let out: string;
    let zip: JSZip | undefined;
    let firstCounts: ReturnType<typeof countsOf> | undefined;
    let importError: unknown;
    beforeAll(async () => {
      out = await mkdtemp(join(tmpdir(), `cocokit-corpus-${fixture.name}-`));
      try {
        const first = await importPath(inputOf(fixture));
        firstCounts = countsOf(first.dataset);
        const target = join(out, "out.zip");
        await exportToPath(first.dataset, target);
        zip = await JSZip.loadAsync(await readFile(target));
      } catch (e) {
        importError = e;
      }
    });
    afterAll(async () => {
      await rm(out, { recursive: true, force: true });
    });

    /** The written task file, or undefined (a soft failure naming the entries) when it is missing. */
    const written = async (entry: string): Promise<Doc | undefined> => {
      if (!zip) throw importError;
      const file = zip.file(entry);
      expect.soft(file, `zip entry ${entry} (entries: ${Object.keys(zip.files).join(", ")})`).not.toBeNull();
      return file ? (JSON.parse(await file.async("string")) as Doc) : undefined;
    };

    it("validates with no error and only the expected warnings", async () => {
      const report = await validatePath(inputOf(fixture));
      expect(report.issues.filter((i) => i.severity === "error")).toEqual([]);
      const warnings = report.issues.filter((i) => i.severity === "warning");
      const counted: Record<string, number> = {};
      for (const w of warnings)
        if (!under(w.pointer, fixture.warningAt) && !under(w.pointer, fixture.mayWarnAt))
          counted[w.code] = (counted[w.code] ?? 0) + 1;
      expect(counted).toEqual(fixture.warnings);
      for (const p of fixture.warningAt ?? [])
        expect(
          warnings.some((w) => under(w.pointer, [p])),
          `a warning at ${p}`,
        ).toBe(true);
    });

    it("imports strictly, exports a zip and imports it back with the same items, annotations and categories", async () => {
      if (!zip) throw importError;
      const again = await importPath(join(out, "out.zip"));
      expect(again.report.errorCount).toBe(0);
      expect(countsOf(again.dataset)).toEqual(firstCounts);
    });

    it("writes each task file with the same image, annotation and category ids", async () => {
      for (const [original, entry] of Object.entries(fixture.files)) {
        const read = await readJson(join(CORPUS, fixture.name, original));
        const out = await written(entry);
        if (out) expect.soft({ file: original, ...idsOf(out) }).toEqual({ file: original, ...idsOf(read) });
      }
    });

    it("adds no field the file did not have (top level, images, annotations, categories)", async () => {
      for (const [original, entry] of Object.entries(fixture.files)) {
        const read = await readJson(join(CORPUS, fixture.name, original));
        const out = await written(entry);
        if (!out) continue;
        expect
          .soft({ file: original, keys: Object.keys(out).sort() })
          .toEqual({ file: original, keys: Object.keys(read).sort() });
        for (const section of SECTIONS) {
          const after = byId(out, section);
          for (const [id, record] of byId(read, section)) {
            const keys = (r: Rec | undefined) => Object.keys(r ?? {}).sort();
            expect.soft({ file: original, section, id, keys: keys(after.get(id)) }).toEqual({
              file: original,
              section,
              id,
              keys: keys(record),
            });
          }
        }
      }
    });

    it("writes every image, annotation and category back with the values it had", async () => {
      for (const [original, entry] of Object.entries(fixture.files)) {
        const read = await readJson(join(CORPUS, fixture.name, original));
        const out = await written(entry);
        if (!out) continue;
        for (const section of SECTIONS) {
          const after = byId(out, section);
          for (const [id, record] of byId(read, section))
            expect
              .soft({ file: original, section, id, record: after.get(id) })
              .toEqual({ file: original, section, id, record });
        }
        for (const key of Object.keys(read).filter((k) => !(SECTIONS as readonly string[]).includes(k)))
          expect
            .soft({ file: original, key, value: out[key] })
            .toEqual({ file: original, key, value: read[key] });
      }
    });

    if (fixture.pngDirs)
      it("writes the panoptic PNGs with the same segment ids in every pixel", async () => {
        if (!zip) throw importError;
        for (const [dir, entryDir] of Object.entries(fixture.pngDirs ?? {})) {
          for (const name of (await readdir(join(CORPUS, fixture.name, dir))).sort()) {
            const file = zip.file(`${entryDir}/${name}`);
            expect.soft(file, `zip entry ${entryDir}/${name}`).not.toBeNull();
            const ids = (bytes: Uint8Array) => {
              const png = decodePanopticPng(bytes, name);
              const out: number[] = [];
              for (let p = 0; p < png.width * png.height; p++) {
                const at = p * png.channels;
                out.push(
                  (png.data[at] ?? 0) + 256 * (png.data[at + 1] ?? 0) + 65536 * (png.data[at + 2] ?? 0),
                );
              }
              return { width: png.width, height: png.height, ids: out };
            };
            const before = ids(new Uint8Array(await readFile(join(CORPUS, fixture.name, dir, name))));
            const after = ids(await (file as JSZip.JSZipObject).async("uint8array"));
            expect({ name, ...after }).toEqual({ name, ...before });
          }
        }
      });
  });
}
