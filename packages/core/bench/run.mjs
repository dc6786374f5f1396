// Runs every bench/*.mjs case file (import cases first), each in its own child process so that
// peak RSS is per case. Usage: node bench/run.mjs [filter]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const filter = process.argv[2];
const order = (name) => (name.startsWith("import") ? 0 : name.startsWith("json") ? 1 : 2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".mjs") && name !== "run.mjs" && !name.startsWith("_"))
  .filter((name) => filter === undefined || name.includes(filter))
  .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
let failed = false;
for (const name of files) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(name, import.meta.url))], {
    stdio: "inherit",
  });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
