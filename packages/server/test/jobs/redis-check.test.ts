import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { tempDataDir } from "../helpers.js";
import { freePort } from "../servers/free-port.js";

describe("a --queue Redis that cannot be reached", () => {
  it("fails the boot with one message naming the URL without its password and the socket's reason", async () => {
    const url = `redis://:s3cret@127.0.0.1:${await freePort()}`;
    const booting = buildApp(parseConfig({ data: await tempDataDir(), queue: url }), { logger: false });
    const error = await booting.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /^could not connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: connect ECONNREFUSED 127\.0\.0\.1:\d+$/,
    );
    expect(error?.message).not.toContain("s3cret");
  });
});
