import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { sep } from "node:path";
import { build, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";

// Records every import esbuild resolves that names a Node built-in (`node:fs`, `fs`, `zlib`...),
// instead of letting it fail or be marked external, so the test can list the offenders.
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
function catchNodeImports(found: string[]): Plugin {
  return {
    name: "catch-node-imports",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, (args) => {
        if (args.path.startsWith("node:") || builtins.has(args.path.split("/")[0] ?? "")) {
          found.push(`${args.path} (from ${args.importer})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

describe("browser bundle of @cocokit/core", () => {
  it("bundles src/index.ts for the browser without any Node built-in import", async () => {
    const found: string[] = [];
    const out = await build({
      entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      alias: { "@cocokit/rle": new URL("../../rle/src/index.ts", import.meta.url).pathname },
      plugins: [catchNodeImports(found)],
    });
    expect(found).toEqual([]);
    const code = out.outputFiles[0]?.text ?? "";
    expect(code.length).toBeGreaterThan(0);
    expect(code).not.toMatch(/from\s*"node:|require\("node:/);
  });

  it("uses no Buffer global in core's own browser-side sources (bundled libraries only feature-detect it)", async () => {
    const src = new URL("../src/", import.meta.url);
    const offenders: string[] = [];
    for (const entry of await readdir(src, { recursive: true })) {
      if (!entry.endsWith(".ts") || entry.endsWith(".test.ts") || entry.startsWith(`node${sep}`)) continue;
      const text = await readFile(new URL(entry.split(sep).join("/"), src), "utf8");
      if (/\bBuffer\b/.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""))) offenders.push(entry);
    }
    expect(offenders).toEqual([]);
  });
});
