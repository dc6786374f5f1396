import { describe, expect, it } from "vitest";
import { buildTestApp, tempDataDir } from "../helpers.js";

describe("several servers booting at once on one fresh data folder", () => {
  it("all open and migrate it: the losers of the race wait and find the schema in place", async () => {
    const data = await tempDataDir();
    const apps = await Promise.all(Array.from({ length: 6 }, () => buildTestApp({ data })));
    for (const { app } of apps) expect((await app.inject({ url: "/api/datasets" })).statusCode).toBe(200);
  });
});
