import { createRequire } from "node:module"; const require = createRequire(import.meta.url);
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
const [src, ...names] = process.argv.slice(2);
const out = await build({
  stdin: { contents: `export { ${names.join(", ")} } from ${JSON.stringify(src)};`, resolveDir: process.cwd(), loader: "ts" },
  bundle: true, platform: "browser", format: "esm", minify: true, write: false, splitting: true, outdir: "/tmp/zb-out", metafile: true,
});
const outs = out.metafile.outputs;
const entry = Object.keys(outs).find((k) => outs[k].entryPoint);
const main = new Set(); const stack = [entry];
while (stack.length) { const k = stack.pop(); if (main.has(k)) continue; main.add(k); for (const i of outs[k].imports) if (i.kind === "import-statement") stack.push(i.path); }
let mainGz = 0;
for (const f of out.outputFiles) { const k = Object.keys(outs).find((o) => f.path === require("node:path").resolve(o)); const gz = gzipSync(f.contents).length; if (main.has(k)) mainGz += gz; console.log(main.has(k) ? "MAIN" : "lazy", k, f.contents.length, gz); }
console.log("main gz", mainGz);
const inputs = {};
for (const [o, meta] of Object.entries(outs)) for (const [i, m] of Object.entries(meta.inputs)) { const k = i.replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, "$1").replace(/^src\/([^/]+)\/.*/, "src/$1"); const kk=(main.has(o)?"MAIN ":"lazy ")+k; inputs[kk] = (inputs[kk] ?? 0) + m.bytesInOutput; }
console.log(Object.entries(inputs).sort((a,b)=>b[1]-a[1]).slice(0,25));
