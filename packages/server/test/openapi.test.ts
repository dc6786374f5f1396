import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "./helpers.js";

const COMMITTED = join(import.meta.dirname, "..", "openapi.json");

describe("openapi.json", () => {
  it("matches the committed contract (COCOKIT_UPDATE_OPENAPI=1 rewrites it)", async () => {
    const { app } = await buildTestApp();
    const doc = (await app.inject({ url: "/openapi.json" })).json();
    // The version changes with every release; the contract is everything else.
    doc.info.version = "0.0.0";
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (process.env.COCOKIT_UPDATE_OPENAPI) await writeFile(COMMITTED, text);
    // Compared as data: formatters may lay the committed file out differently.
    expect(doc).toEqual(JSON.parse(await readFile(COMMITTED, "utf8")));
  });
});
