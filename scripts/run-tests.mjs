// Runs every package's tests through turbo, then prints one plain total over all of them
// ("N passed, N failed") from the JSON reports vitest writes, so CI can tell tests really ran.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";

const root = join(import.meta.dirname, "..");
const packageDirs = ["packages", "apps"]
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(root, dir, name)))
  .filter((dir) => existsSync(join(dir, "package.json")));

// A package may write several reports (the server runs its suite on SQLite and on PostgreSQL):
// `.vitest-report.json`, `.vitest-report-<name>.json`.
const reportPaths = (dir) =>
  readdirSync(dir)
    .filter((name) => /^\.vitest-report(-[\w-]+)?\.json$/.test(name))
    .sort()
    .map((name) => join(dir, name));
for (const dir of packageDirs) for (const path of reportPaths(dir)) rmSync(path, { force: true });

const turbo = spawnSync("pnpm", ["exec", "turbo", "run", "test", "--continue", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of packageDirs) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (!pkg.scripts?.test) continue;
  const paths = reportPaths(dir);
  if (paths.length === 0) {
    // The package's tests did not run at all (build or collection failed): count it as a failure.
    console.error(`no test report from ${pkg.name}`);
    failed += 1;
    continue;
  }
  for (const path of paths) {
    const report = JSON.parse(readFileSync(path, "utf8"));
    passed += report.numPassedTests;
    // A test file that failed to load has no test results of its own; count it once.
    const brokenFiles = (report.testResults ?? []).filter(
      (file) => file.status === "failed" && (file.assertionResults ?? []).length === 0,
    ).length;
    failed += report.numFailedTests + brokenFiles;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    const run = /^\.vitest-report-([\w-]+)\.json$/.exec(basename(path))?.[1];
    console.log(
      `${pkg.name}${run ? ` (${run})` : ""}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
