import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

describe("browser bundle", () => {
  it("bundles src/index.ts for the browser without Node built-ins and stays small", async () => {
    const out = await build({
      entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
    });
    const code = out.outputFiles[0]?.text ?? "";
    expect(code).not.toMatch(/node:|require\("fs"\)|Buffer\./);
    // Ceiling 8 KiB gzip: the whole codec is ~4 KiB minified+gzipped today; the margin catches an
    // accidental dependency or polyfill, not ordinary growth.
    expect(gzipSync(code).length).toBeLessThan(8 * 1024);
  });
});
