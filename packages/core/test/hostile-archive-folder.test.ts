// Dataset folders holding what cannot or must not be read: broken and looping symlinks, links out
// of the folder, FIFOs, directories where files are expected, files gone since the folder was
// listed. Each is named in an `unreadable_file` error or issue; none crashes the import or hangs it.
// Tests run as root, for whom permissions never stop a read, so most cases use what fails for
// root too (ENOENT, ELOOP, EISDIR, a FIFO); the chmod 000 cases run only as another user.
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isCocokitError } from "../src/errors.js";
import { directoryTree } from "../src/node/directory-tree.js";
import { attachMediaFromPath, importPath } from "../src/node/import-path.js";
import { importTree } from "../src/read/read-tree.js";
import type { Issue } from "../src/report/issue.js";

const JSON_NAME = "annotations/instances_default.json";
const coco = (image: Record<string, unknown> = { width: 1, height: 1 }) =>
  JSON.stringify({
    images: [{ id: 1, file_name: "a.jpg", ...image }],
    annotations: [],
    categories: [{ id: 1, name: "a" }],
  });
const asRoot = process.getuid?.() === 0;

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

// A dataset folder: annotations/instances_default.json and images/default/.
async function dataset(json = coco()): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cocokit-hostile-"));
  scratch.push(dir);
  await mkdir(join(dir, "annotations"));
  await mkdir(join(dir, "images", "default"), { recursive: true });
  await writeFile(join(dir, JSON_NAME), json);
  return dir;
}

async function thrown(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (e) {
    if (!isCocokitError(e)) throw e;
    return e;
  }
  throw new Error("expected a throw");
}

const unreadable = (issues: readonly Issue[]) =>
  issues
    .filter((i) => i.code === "unreadable_file")
    .map((i) => ({ file: i.file, severity: i.severity, found: i.found }));

describe("importPath on links and special files in a dataset folder", () => {
  it("names a broken, a looping and an outward symlink and a FIFO, reads none of them, and goes on", async () => {
    const dir = await dataset();
    const images = join(dir, "images", "default");
    const outside = join(await dataset(), JSON_NAME);
    await symlink(join(dir, "nowhere.jpg"), join(images, "a.jpg"));
    await symlink(join(images, "loop.jpg"), join(images, "loop.jpg"));
    await symlink(outside, join(images, "b.jpg"));
    execFileSync("mkfifo", [join(images, "c.jpg")]);
    const { report, media } = await importPath(dir, { mode: "lenient" });
    expect(unreadable(report.issues)).toEqual([
      {
        file: "images/default/a.jpg",
        severity: "warning",
        found: "a broken symlink (its target does not exist)",
      },
      {
        file: "images/default/b.jpg",
        severity: "warning",
        found: expect.stringContaining("a symlink to a file, which is not followed"),
      },
      {
        file: "images/default/c.jpg",
        severity: "warning",
        found: expect.stringContaining("a FIFO, which is never opened"),
      },
      { file: "images/default/loop.jpg", severity: "warning", found: "a loop of symlinks" },
    ]);
    expect(media?.matched).toEqual([]);
    for (const issue of report.issues) expect(issue.message).not.toMatch(/undefined|NaN|\[object /);
  });

  it("adds what an images folder left out to attachMediaFromPath's report", async () => {
    const { dataset: ds } = await importPath(await dataset());
    const images = await mkdtemp(join(tmpdir(), "cocokit-images-"));
    scratch.push(images);
    await symlink(join(images, "nowhere.jpg"), join(images, "a.jpg"));
    const { media, report } = await attachMediaFromPath(ds, images);
    expect(media.missing).toHaveLength(1);
    expect(unreadable(report.issues)).toEqual([
      { file: "a.jpg", severity: "warning", found: "a broken symlink (its target does not exist)" },
    ]);
  });

  it("throws annotations_not_found naming an annotation file that is a broken symlink or a directory", async () => {
    for (const make of [(at: string) => symlink(`${at}.missing`, at), (at: string) => mkdir(at)]) {
      const dir = await dataset();
      await rm(join(dir, JSON_NAME));
      await make(join(dir, JSON_NAME));
      const error = await thrown(() => importPath(dir));
      expect(error.code).toBe("annotations_not_found");
      expect(error.message).toContain(`not read: ${JSON_NAME} (unreadable_file)`);
      expect(error.issues?.[0]).toMatchObject({ code: "unreadable_file", file: JSON_NAME });
    }
  });

  it("throws unreadable_file for a FIFO given as the input, without opening it", async () => {
    const dir = await dataset();
    const fifo = join(dir, "instances_default.json");
    execFileSync("mkfifo", [fifo]);
    const error = await thrown(() => importPath(fifo));
    expect(error).toMatchObject({ code: "unreadable_file", file: fifo });
    expect(error.message).toContain("found a FIFO, socket or device");
  });
});

describe("importTree on files that stop being readable after the folder was listed", () => {
  it("reports unreadable_file for an annotation file removed or replaced by a directory", async () => {
    for (const [replace, found] of [
      [(at: string) => rm(at), "nothing there"],
      [
        async (at: string) => {
          await rm(at);
          await mkdir(at);
        },
        "a directory",
      ],
    ] as const) {
      const dir = await dataset();
      const tree = await directoryTree(dir);
      await replace(join(dir, JSON_NAME));
      const { report } = await importTree(tree, { mode: "lenient" });
      const issue = report.issues.find((i) => i.code === "unreadable_file");
      expect(issue).toMatchObject({ severity: "error", file: JSON_NAME });
      expect(issue?.message).toContain(`expected a readable file at "${JSON_NAME}", found ${found}`);
      expect((await thrown(() => importTree(tree))).code).toBe("validation_failed");
    }
  });

  it("reports an image that cannot be read for its size and goes on; reading its media then throws", async () => {
    const dir = await dataset(coco({}));
    await writeFile(join(dir, "images", "default", "a.jpg"), "x");
    const tree = await directoryTree(dir);
    await rm(join(dir, "images", "default", "a.jpg"));
    await mkdir(join(dir, "images", "default", "a.jpg"));
    const { dataset: ds, report, mediaFiles } = await importTree(tree, { mode: "lenient" });
    expect(unreadable(report.issues)).toEqual([
      {
        file: "images/default/a.jpg",
        severity: "error",
        found: expect.stringContaining("found a directory"),
      },
    ]);
    const error = await thrown(async () => mediaFiles?.read(ds.items[0]?.media?.path ?? ""));
    expect(error).toMatchObject({ code: "unreadable_file", file: "images/default/a.jpg" });
  });
});

describe("importPath on a panoptic file whose PNG folder holds a directory and a broken link", () => {
  it("names both, reads neither, and reports the PNG the record wanted as missing", async () => {
    const dir = await dataset();
    const json = join(dir, "annotations", "panoptic_default.json");
    await writeFile(
      json,
      JSON.stringify({
        images: [{ id: 1, file_name: "a.jpg", width: 1, height: 1 }],
        annotations: [
          { image_id: 1, file_name: "a.png", segments_info: [{ id: 1, category_id: 1, iscrowd: 0 }] },
        ],
        categories: [{ id: 1, name: "a" }],
      }),
    );
    const pngs = join(dir, "annotations", "panoptic_default");
    await mkdir(join(pngs, "a.png"), { recursive: true });
    await symlink(join(pngs, "gone.png"), join(pngs, "b.png"));
    const { report } = await importPath(json, { mode: "lenient" });
    const found = unreadable(report.issues).map((i) => [i.file, i.found]);
    expect(found.sort()).toEqual([
      [`${pngs}/a.png`, "a directory"],
      [`${pngs}/b.png`, "a broken symlink (its target does not exist)"],
    ]);
    expect(report.issues.some((i) => i.code === "missing_image_file")).toBe(true);
  });
});

describe.skipIf(asRoot)("importPath on files without read permission (not as root)", () => {
  it("reports unreadable_file for an annotation file and a folder it may not read", async () => {
    const dir = await dataset();
    await chmod(join(dir, JSON_NAME), 0o000);
    await mkdir(join(dir, "images", "locked"));
    await chmod(join(dir, "images", "locked"), 0o000);
    const { report } = await importPath(dir, { mode: "lenient" });
    expect(unreadable(report.issues)).toEqual([
      {
        file: "images/locked",
        severity: "error",
        found: expect.stringContaining('readable folder at "images/locked"'),
      },
      { file: JSON_NAME, severity: "error", found: expect.stringContaining("no permission to read") },
    ]);
    await chmod(join(dir, "images", "locked"), 0o755);
  });
});
