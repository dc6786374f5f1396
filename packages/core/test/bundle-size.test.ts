// What a web page pays for cocokit: the package as published (tsup with this package's config),
// bundled the way an app bundles it (esbuild, browser, minified, code splitting), then gzipped.
// The main chunk is what loads with the page; the zip libraries are lazy chunks fetched only when
// a zip is opened or written, so reading and writing plain JSON never downloads them.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build as bundle, type Metafile } from "esbuild";
import { build as tsup } from "tsup";
import { afterAll, describe, expect, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import config from "../tsup.config.js";

/** The names a page imports: read, and write a zip or a JSON as a stream. */
const ENTRIES = ["importDataset", "exportArchive", "exportDataset"];
// Today: main ≈ 46 KiB gzipped (the JSON reader and writer, the model, PNG and image-header
// readers, rle). The ceiling is the budget for a page, not a snug fit.
const MAIN_CEILING = 100 * 1024;
// Today the lazy chunks weigh ≈ 131 KiB gzipped together: zip.js ≈ 95 KiB (reader and writer),
// jszip ≈ 32 KiB, cocokit's zip readers ≈ 4 KiB. They load only with the first zip.
const LAZY_CEILING = 160 * 1024;
// Libraries that must never load with the page: zod (nothing on the import or export path
// validates with the schemas at run time) and the zip engines (loaded by `import()`).
const NEVER_IN_MAIN = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(zod|jszip|@zip\.js\/zip\.js)\//;

// Inside the package, so the build's bare imports (zod, jszip, …) resolve as a consumer's would.
const out = fileURLToPath(new URL("../node_modules/.cache/cocokit-bundle-size/", import.meta.url));
afterAll(() => rm(out, { recursive: true, force: true }));

async function publishedBuild(): Promise<string> {
  const options = Array.isArray(config) ? config[0] : config;
  await tsup({
    ...(options as object),
    config: false,
    outDir: `${out}dist`,
    format: ["esm"],
    dts: false,
    sourcemap: false,
    clean: true,
    silent: true,
  });
  // The published package.json's sideEffects is what lets a bundler drop unused chunks.
  await writeFile(`${out}package.json`, JSON.stringify({ type: "module", sideEffects: pkg.sideEffects }));
  return `${out}dist/index.js`;
}

interface Chunk {
  path: string;
  gzip: number;
  inputs: string[];
}

async function browserBundle(entry: string): Promise<{ main: Chunk[]; lazy: Chunk[] }> {
  await mkdir(`${out}app`, { recursive: true });
  const result = await bundle({
    stdin: { contents: `export { ${ENTRIES.join(", ")} } from ${JSON.stringify(entry)};`, resolveDir: out },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    splitting: true,
    outdir: `${out}app`,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const outputs = (result.metafile as Metafile).outputs;
  const key = (path: string) =>
    Object.keys(outputs).find((k) => path.endsWith(k.replace(/^(\.\.\/)+/, "").replace(/^\.\//, ""))) ?? path;
  const first = Object.keys(outputs).find((k) => outputs[k]?.entryPoint !== undefined);
  // The main chunk and every chunk it imports statically load with the page.
  const loaded = new Set<string>();
  for (const stack = first ? [first] : []; stack.length > 0; ) {
    const k = stack.pop() as string;
    if (loaded.has(k)) continue;
    loaded.add(k);
    for (const i of outputs[k]?.imports ?? []) if (i.kind === "import-statement") stack.push(i.path);
  }
  const main: Chunk[] = [];
  const lazy: Chunk[] = [];
  for (const file of result.outputFiles) {
    const k = key(file.path);
    const chunk = {
      path: k,
      gzip: gzipSync(file.contents).length,
      inputs: Object.keys(outputs[k]?.inputs ?? {}),
    };
    (loaded.has(k) ? main : lazy).push(chunk);
  }
  return { main, lazy };
}

const sum = (chunks: Chunk[]) => chunks.reduce((a, c) => a + c.gzip, 0);

describe("the browser bundle of importDataset and export", () => {
  it(`loads at most ${MAIN_CEILING / 1024} KiB gzipped with the page, the zip libraries lazily within ${LAZY_CEILING / 1024} KiB`, async () => {
    const { main, lazy } = await browserBundle(await publishedBuild());
    expect(main.length).toBeGreaterThan(0);
    const inMain = main.flatMap((c) => c.inputs).filter((i) => NEVER_IN_MAIN.test(i));
    expect(inMain).toEqual([]);
    const lazyInputs = lazy.flatMap((c) => c.inputs).join("\n");
    expect(lazyInputs).toMatch(/jszip/);
    expect(lazyInputs).toMatch(/@zip\.js/);
    expect(sum(main)).toBeLessThanOrEqual(MAIN_CEILING);
    expect(sum(lazy)).toBeLessThanOrEqual(LAZY_CEILING);
  });
});
