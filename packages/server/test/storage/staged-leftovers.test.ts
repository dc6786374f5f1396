import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestApp, tempDataDir } from "../helpers.js";
import { freshStorage } from "./s3-test-bucket.js";

describe("files a stopped server was staging for S3", () => {
  it("are removed at startup: a media job's image and an export's zip", async () => {
    const data = await tempDataDir();
    const image = join(data, "media", "3", "1-2.png.staged.tmp");
    const zip = join(data, "results", "job-4.zip.staged.tmp");
    for (const dir of [image, zip]) await mkdir(dir, { recursive: true });
    await writeFile(join(image, "1-2.png"), "half an image");
    await writeFile(join(zip, "job-4.zip"), "half a zip");
    await writeFile(join(data, "media", "3", "kept.png"), "an attached image");
    await buildTestApp({ data, storage: freshStorage().url });
    expect(await readdir(join(data, "media", "3"))).toEqual(["kept.png"]);
    expect(await readdir(join(data, "results"))).toEqual([]);
  });
});
