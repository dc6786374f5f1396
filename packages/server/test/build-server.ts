import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds `dist/` (what `bin/cocokit-server.js` runs) when a source is newer than it, once per
 * run before any test file starts, so the child-process tests run the code under test and no
 * test file rebuilds `dist/` under another one's feet.
 */
export function buildServerIfStale(): void {
  const built = (() => {
    try {
      return statSync(join(ROOT, "dist", "serve.js")).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built > newest(join(ROOT, "src"))) return;
  execFileSync("pnpm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
}
