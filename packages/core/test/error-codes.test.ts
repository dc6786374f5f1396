// docs/error-codes.md is the one table of codes. This suite holds it to the source (every member of
// `IssueCode`, every code core throws, the codes of cli, eval and rle, and nothing else; each with
// its kind in `ERROR_KINDS`) and to its examples: each row links a file
// in docs/examples/ that must produce its code, at the pointer the row gives, and no other code (an
// example is broken in one way). A `.json` example is a COCO file; a `.md` example is a recipe
// whose ```json block says what to build and which call to make (docs/examples/README.md). Both are
// read from the text, so a new code fails here until it has a row, and a row fails until something
// emits its code.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as rle from "@cocokit/rle";
import { encode } from "fast-png";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CocokitError,
  codeKind,
  type Dataset,
  decodePanopticPng,
  ERROR_KINDS,
  exportDataset,
  exportJson,
  filterDataset,
  type Issue,
  importDataset,
  isCocokitError,
  mergeDatasets,
  openZip,
  scanRecords,
  splitDataset,
  validateDataset,
} from "../src/index.js";
import { chunksOf } from "../src/json/chunks-of.js";
import { exportToPath, importPath, validatePath } from "../src/node/index.js";
import { type RawEntry, rawZip, sharedKernelZip } from "./hostile-archive-zip.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOCS = join(ROOT, "docs");
const SRC = join(ROOT, "packages/core/src");

type Table = "thrown" | "tools" | "rle" | "import" | "export" | "merge";

/** Tables of thrown codes (no severity column); the rest are issue tables. */
const THROWN_TABLES: readonly Table[] = ["thrown", "tools", "rle"];

/** One row of a table in docs/error-codes.md. */
interface Row {
  table: Table;
  code: string;
  /** `error` or `warning` (issue tables); undefined for codes that are thrown, not reported. */
  severity?: string;
  /** The row's kind column (`input`, `data`, …). */
  kind: string;
  /** The example pointer; undefined when the row gives none (`—`). */
  pointer?: string;
  /** The linked example, relative to docs/ (`examples/duplicate_id.json`). */
  example?: string;
  /** The call a `.json` example is read with, when the row names one (`with \`scanRecords\``). */
  call?: string;
  /** The rle table's example: a call of `@cocokit/rle` (`decode({…})`), as function and JSON arguments. */
  rleCall?: { fn: string; args: unknown[] };
}

// The longer heading first: "## Thrown error codes" is a prefix of the tools' heading.
const HEADINGS: [string, Table][] = [
  ["## Thrown error codes (cli, eval)", "tools"],
  ["## Thrown error codes", "thrown"],
  ["## RleError codes", "rle"],
  ["## Issue codes (import)", "import"],
  ["## Issue codes (export)", "export"],
  ["## Issue codes (merge)", "merge"],
];

function rowsOf(markdown: string): Row[] {
  const rows: Row[] = [];
  let table: Table | undefined;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("## ")) table = HEADINGS.find(([heading]) => line.startsWith(heading))?.[1];
    const code = /^\|\s*`([a-z0-9_]+)`\s*\|/.exec(line)?.[1];
    if (!table || !code) continue;
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    const thrown = THROWN_TABLES.includes(table);
    const at = thrown ? { kind: 1, pointer: 3, example: 5 } : { kind: 2, pointer: 4, example: 6 };
    const pointer = /^`([^`]*)`/.exec(cells[at.pointer] ?? "")?.[1];
    const example = cells[at.example] ?? "";
    const row: Row = { table, code, kind: cells[at.kind] ?? "" };
    const severity = thrown ? undefined : /^(error|warning)\b/.exec(cells[1] ?? "")?.[1];
    if (severity) row.severity = severity;
    if (pointer !== undefined) row.pointer = pointer === '""' ? "" : pointer;
    const link = /\]\((examples\/[^)]+)\)/.exec(example)?.[1];
    if (link) row.example = link;
    const call = /with `(\w+)`/.exec(example)?.[1];
    if (call) row.call = call;
    const rleCall = table === "rle" ? /^`(\w+)\((.*)\)`$/.exec(example) : null;
    if (rleCall) row.rleCall = { fn: rleCall[1] as string, args: JSON.parse(`[${rleCall[2]}]`) as unknown[] };
    rows.push(row);
  }
  return rows;
}

/** The string literals of `export type <name> = … ;` in a source file (relative to the repo root). */
function unionOf(file: string, name: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const start = text.indexOf(`export type ${name} =`);
  if (start < 0) throw new Error(`${file} has no type ${name}`);
  const body = text.slice(start, text.indexOf(";", start));
  return [...body.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1] as string);
}

const issueCodeUnion = () => unionOf("packages/core/src/report/issue.ts", "IssueCode");

/** Codes in `new CocokitError("…"` and `new InternalError(` calls of core's non-test sources. */
function thrownCodes(): string[] {
  const internal = /class InternalError[\s\S]*?super\(\s*"([a-z0-9_]+)"/.exec(
    readFileSync(join(SRC, "errors.ts"), "utf8"),
  )?.[1];
  const codes = new Set<string>();
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" });
  for (const file of files.filter((f) => f.endsWith(".ts") && !/\.test(-support)?\.ts$/.test(f))) {
    const text = readFileSync(join(SRC, file), "utf8");
    for (const m of text.matchAll(/new\s+CocokitError\(\s*"([a-z0-9_]+)"/g)) codes.add(m[1] as string);
    if (internal && /new\s+InternalError\(/.test(text)) codes.add(internal);
  }
  return [...codes];
}

// --- recipes: what a `.md` example's json block describes ---

/** A file's content: text, a JSON value (written as JSON), a PNG of segment ids, or a symlink. */
type Data = string | { png: { width: number; height: number; ids: number[] } } | { symlink: string } | object;
type ZipEntrySpec = Omit<RawEntry, "data"> & { data: Data };

interface Input {
  json?: unknown;
  text?: string;
  bytes?: Uint8Array;
  zip?: ZipEntrySpec[];
  kernelZip?: { kernel: ZipEntrySpec; names: string[] };
  dir?: Record<string, Data>;
  path?: string;
  dataset?: unknown;
  /** Hand the bytes over as a one-shot ReadableStream. */
  stream?: boolean;
  /** mergeDatasets: the inputs, each imported (lenient) under its name. */
  datasets?: (Input & { name?: string })[];
  /** Hand this JSON value over as the input itself (an input of the wrong kind). */
  value?: unknown;
}

interface Spec {
  call: string;
  input: Input;
  name?: string;
  options?: Record<string, unknown>;
  /** exportToPath: the target, relative to a scratch folder, and files already there. */
  to?: string;
  existing?: Record<string, string>;
}

const text = new TextEncoder();

function bytesOfData(data: Data): Uint8Array {
  if (typeof data === "string") return text.encode(data);
  if ("png" in data) {
    const { width, height, ids } = data.png;
    const rgb = new Uint8Array(width * height * 3);
    for (const [p, id] of ids.entries()) rgb.set([id & 255, (id >> 8) & 255, (id >> 16) & 255], 3 * p);
    return encode({ width, height, data: rgb, channels: 3, depth: 8 });
  }
  return text.encode(JSON.stringify(data));
}

const rawEntry = (e: ZipEntrySpec): RawEntry => ({ ...e, data: bytesOfData(e.data) });

function bytesOf(input: Input): Uint8Array {
  if (input.bytes) return input.bytes;
  if (input.json !== undefined) return text.encode(JSON.stringify(input.json));
  if (input.text !== undefined) return text.encode(input.text);
  if (input.zip) return rawZip(input.zip.map(rawEntry));
  if (input.kernelZip) return sharedKernelZip(rawEntry(input.kernelZip.kernel), input.kernelZip.names);
  throw new Error(`no bytes in ${JSON.stringify(input).slice(0, 80)}`);
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function writeTree(root: string, files: Record<string, Data>): Promise<void> {
  for (const [path, data] of Object.entries(files)) {
    const target = join(root, ...path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    if (typeof data === "object" && "symlink" in data) await symlink(data.symlink, target);
    else await writeFile(target, bytesOfData(data));
  }
}

/** The input on disk: a path as given, a folder built from `dir`, or the bytes in a file. */
async function pathOf(spec: Spec, dir: string): Promise<string> {
  const { input } = spec;
  if (input.path !== undefined) return isAbsolute(input.path) ? input.path : join(dir, input.path);
  if (input.dir) {
    await writeTree(join(dir, "dataset"), input.dir);
    return join(dir, "dataset");
  }
  const file = join(dir, spec.name ?? "dataset.json");
  await writeFile(file, bytesOf(input));
  return file;
}

/** A `Dataset` from its JSON form (mask counts as lists, media as `{ path }`), or an imported input. */
async function datasetOf(spec: Spec): Promise<Dataset> {
  if (spec.input.dataset === undefined)
    return (await importDataset(bytesOf(spec.input), { mode: "lenient", ...nameOf(spec) })).dataset;
  const dataset = structuredClone(spec.input.dataset) as Dataset;
  for (const item of dataset.items) {
    for (const a of item.annotations)
      if (a.type === "mask") a.rle.counts = Uint32Array.from(a.rle.counts as unknown as number[]);
  }
  return dataset;
}

const nameOf = (spec: Spec) => (spec.name === undefined ? {} : { name: spec.name });

async function drain(chunks: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of chunks) n++;
  return n;
}

/** Makes the spec's call; the issues it reports (a report's, or a thrown error's `issues`). */
async function call(spec: Spec, dir: string): Promise<readonly Issue[]> {
  const { signal, ...rest } = spec.options ?? {};
  const options: Record<string, unknown> = {
    ...rest,
    ...(signal === "aborted" ? { signal: AbortSignal.abort() } : {}),
  };
  const read = () =>
    "value" in spec.input
      ? (spec.input.value as Uint8Array)
      : spec.input.stream
        ? streamOf(bytesOf(spec.input))
        : bytesOf(spec.input);
  switch (spec.call) {
    case "validateDataset":
      return (await validateDataset(read(), { ...options, ...nameOf(spec) })).issues;
    case "importDataset":
      return (await importDataset(read(), { ...options, ...nameOf(spec) })).report.issues;
    case "validatePath":
      return (await validatePath(await pathOf(spec, dir), options)).issues;
    case "importPath":
      return (await importPath(await pathOf(spec, dir), options)).report.issues;
    case "scanRecords":
      await drain(
        scanRecords(chunksOf(bytesOf(spec.input)), spec.name === undefined ? {} : { file: spec.name }),
      );
      return [];
    case "openZip": {
      const zip = await openZip(bytesOf(spec.input), options);
      for (const entry of zip.entries) await drain(zip.open(entry));
      return zip.issues;
    }
    case "decodePanopticPng":
      decodePanopticPng(bytesOf(spec.input), spec.name ?? "000001.png");
      return [];
    case "exportDataset":
      return exportDataset(await datasetOf(spec), options).report.issues;
    case "exportJson":
      await drain(exportJson(await datasetOf(spec), options));
      return [];
    case "exportToPath": {
      await writeTree(dir, spec.existing ?? {});
      return (await exportToPath(await datasetOf(spec), join(dir, spec.to ?? "out"), options)).report.issues;
    }
    case "filterDataset":
      filterDataset(await datasetOf(spec), options);
      return [];
    case "mergeDatasets": {
      const inputs = spec.input.datasets ?? [];
      const datasets = await Promise.all(
        inputs.map(({ name, ...input }) =>
          datasetOf({ call: spec.call, input, ...(name === undefined ? {} : { name }) }),
        ),
      );
      return mergeDatasets(datasets, options).report.issues;
    }
    case "splitDataset":
      splitDataset(await datasetOf(spec), options as unknown as Parameters<typeof splitDataset>[1]);
      return [];
  }
  throw new Error(`unknown call "${spec.call}"`);
}

/** What an example produced: the issues reported, and the error thrown if any. */
async function outcomeOf(spec: Spec): Promise<{ issues: readonly Issue[]; error?: CocokitError }> {
  const dir = await mkdtemp(join(tmpdir(), "cocokit-codes-"));
  scratch.push(dir);
  try {
    return { issues: await call(spec, dir) };
  } catch (e) {
    if (!isCocokitError(e)) throw e;
    return { issues: e.issues ?? [], error: e };
  }
}

function specOf(row: Row): Spec {
  const path = join(DOCS, row.example as string);
  if (path.endsWith(".md")) {
    const block = /```json\n([\s\S]*?)\n```/.exec(readFileSync(path, "utf8"))?.[1];
    if (!block) throw new Error(`${row.example} has no \`\`\`json block`);
    return JSON.parse(block) as Spec;
  }
  const call = row.call ?? (row.table === "thrown" ? "importDataset" : "validateDataset");
  return { call, name: basename(path), input: { bytes: readFileSync(path) } };
}

const DOC = readFileSync(join(DOCS, "error-codes.md"), "utf8");
const ROWS = rowsOf(DOC);
const codesOf = (tables: Table[]) => [
  ...new Set(ROWS.filter((r) => tables.includes(r.table)).map((r) => r.code)),
];
const sorted = (codes: readonly string[]) => [...codes].sort();

// Codes no input can produce: an InternalError is a bug in cocokit by definition.
const NO_EXAMPLE = new Set(["internal_error"]);
const CODES = "packages/core/src/errors/codes.ts";

describe("docs/error-codes.md", () => {
  it("lists exactly the members of IssueCode in its issue tables", () => {
    expect(sorted(codesOf(["import", "export", "merge"]))).toEqual(sorted([...new Set(issueCodeUnion())]));
  });

  it("lists exactly the codes core throws in its thrown table", () => {
    expect(sorted(codesOf(["thrown"]))).toEqual(sorted(thrownCodes()));
  });

  it("has CoreErrorCode hold exactly the codes core throws", () => {
    expect(sorted(unionOf(CODES, "CoreErrorCode"))).toEqual(sorted(thrownCodes()));
  });

  it("lists exactly ToolErrorCode in the cli and eval table, and eval's own codes are among them", () => {
    const tools = unionOf(CODES, "ToolErrorCode");
    expect(sorted(codesOf(["tools"]))).toEqual(sorted(tools));
    expect(tools).toEqual(expect.arrayContaining(unionOf("packages/eval/src/errors.ts", "EvalErrorCode")));
  });

  it("lists exactly the RleError codes in the rle table, the same as core's RleCode", () => {
    const codes = unionOf("packages/rle/src/errors.ts", "RleErrorCode");
    expect(sorted(codesOf(["rle"]))).toEqual(sorted(codes));
    expect(sorted(unionOf(CODES, "RleCode"))).toEqual(sorted(codes));
  });

  it("gives every row the kind of ERROR_KINDS, whose keys are exactly the codes of all tables", () => {
    expect(
      ROWS.filter((r) => r.kind !== codeKind(r.code)).map((r) => `${r.table} ${r.code}: ${r.kind}`),
    ).toEqual([]);
    expect(sorted(Object.keys(ERROR_KINDS))).toEqual(
      sorted(codesOf([...THROWN_TABLES, "import", "export", "merge"])),
    );
  });

  it("lists each code once per table", () => {
    for (const table of [...THROWN_TABLES, "import", "export", "merge"] as const) {
      const codes = ROWS.filter((r) => r.table === table).map((r) => r.code);
      expect(
        codes.filter((c, i) => codes.indexOf(c) !== i),
        table,
      ).toEqual([]);
    }
  });

  it("links every file of docs/examples from a row", () => {
    const linked = new Set(ROWS.map((r) => r.example));
    const files = readdirSync(join(DOCS, "examples")).filter((f) => f !== "README.md");
    expect(files.filter((f) => !linked.has(`examples/${f}`))).toEqual([]);
  });
});

describe("docs/examples", () => {
  for (const row of ROWS) {
    const title = `${row.table} ${row.code}: ${row.example ?? "no example"}`;
    // internal_error stands for a bug: no input can produce it, so it has no example to run.
    if (NO_EXAMPLE.has(row.code)) continue;
    // The cli's and eval's examples are commands and calls of those packages; their tests run them.
    if (row.table === "tools") continue;
    if (row.table === "rle") {
      const shown = row.rleCall ? `${row.rleCall.fn}(…)` : "no example";
      it(`rle ${row.code}: ${shown} throws an RleError that isCocokitError recognises`, () => {
        const { fn, args } = row.rleCall ?? { fn: "", args: [] };
        const call = (rle as unknown as Record<string, (...a: unknown[]) => unknown>)[fn];
        expect(call, `${row.code}: rle has no ${fn}()`).toBeTypeOf("function");
        let thrown: unknown;
        try {
          call?.(...args);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(rle.RleError);
        expect(isCocokitError(thrown)).toBe(true);
        expect((thrown as rle.RleError).code).toBe(row.code);
        expect(JSON.parse(JSON.stringify(thrown))).toMatchObject({
          name: "RleError",
          code: row.code,
          kind: "data",
        });
      });
      continue;
    }
    it(`${title} produces it${row.pointer === undefined ? "" : ` at "${row.pointer}"`}`, async () => {
      expect(row.example, `${row.code} has no example: nothing emits it yet`).toBeDefined();
      expect(existsSync(join(DOCS, row.example as string)), `${row.example} exists`).toBe(true);
      const { issues, error } = await outcomeOf(specOf(row));
      const seen = `threw ${error ? `${error.code} "${error.message.slice(0, 160)}"` : "nothing"}; issues: ${
        issues.map((i) => `${i.code} ${i.severity} at "${i.pointer}"`).join(", ") || "none"
      }`;
      const hits = issues.filter((i) => i.code === row.code);
      // Thrown codes, and the IssueCode members that are thrown rather than reported.
      if (row.table === "thrown" || (hits.length === 0 && error?.code === row.code)) {
        expect(error?.code, seen).toBe(row.code);
        if (row.pointer !== undefined) expect(error?.pointer ?? "", seen).toBe(row.pointer);
        return;
      }
      const at = row.pointer === undefined ? hits : hits.filter((i) => i.pointer === row.pointer);
      expect(at.length, seen).toBeGreaterThan(0);
      if (row.severity) expect(at.map((i) => i.severity).join(), seen).toContain(row.severity);
      // Broken in one way only: an example shows its own code and no other.
      expect(issues.filter((i) => i.code !== row.code).map((i) => `${i.code} at "${i.pointer}"`)).toEqual([]);
    });
  }
});
