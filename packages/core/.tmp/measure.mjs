import { build } from "esbuild";
import { gzipSync } from "node:zlib";
const src = process.argv[2];
const names = process.argv.slice(3);
const out = await build({
  stdin: { contents: `export { ${names.join(", ")} } from ${JSON.stringify(src)};`, resolveDir: process.cwd(), loader: "ts" },
  bundle: true, platform: "browser", format: "esm", minify: true, write: false, splitting: true, outdir: "/tmp/zb-out", metafile: true,
});
for (const f of out.outputFiles) console.log(f.path.replace("/tmp/zb-out/",""), f.contents.length, gzipSync(f.contents).length);
const inputs = {};
for (const [o, meta] of Object.entries(out.metafile.outputs)) for (const [i, m] of Object.entries(meta.inputs)) { const k = i.replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, "$1").replace(/^src\/([^/]+)\/.*/, "src/$1"); inputs[o.split("/").pop()+" "+k] = (inputs[o.split("/").pop()+" "+k] ?? 0) + m.bytesInOutput; }
console.log(Object.entries(inputs).sort((a,b)=>b[1]-a[1]).slice(0,30));
