import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestApp, tempDataDir } from "../helpers.js";

// A stand-in for apps/demo/dist: the server serves whatever folder --web names.
async function webFolder(): Promise<string> {
  const dir = join(await tempDataDir(), "web");
  await mkdir(join(dir, "assets"), { recursive: true });
  await writeFile(join(dir, "index.html"), "<!doctype html><title>cocokit</title><div id=root></div>");
  await writeFile(join(dir, "assets", "app.js"), "console.log('page')");
  return dir;
}

describe("--web: the page at /", () => {
  it("serves the folder's index.html at / and its files, without the token the API needs", async () => {
    const { app } = await buildTestApp({ web: await webFolder(), token: "secret" });
    const page = await app.inject({ url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain("<div id=root>");
    const script = await app.inject({ url: "/assets/app.js" });
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toMatch(/javascript/);
    // The API behind the page still wants the token.
    expect((await app.inject({ url: "/api/datasets" })).statusCode).toBe(401);
    const missing = await app.inject({ url: "/nothing-here.js" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toMatch(/application\/problem\+json/);
  });

  it("refuses paths that leave the folder", async () => {
    const { app } = await buildTestApp({ web: await webFolder() });
    const escaped = await app.inject({ url: "/../../package.json" });
    expect(escaped.statusCode).toBe(404);
    expect(escaped.body).not.toContain("@cocokit/server");
  });

  it("serves no page without --web", async () => {
    const { app } = await buildTestApp();
    expect((await app.inject({ url: "/" })).statusCode).toBe(404);
  });
});
