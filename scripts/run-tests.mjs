// Runs every package's tests through turbo, then prints one plain total over all of them
// ("N passed, N failed") from the JSON reports vitest writes, so CI can tell tests really ran.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const packageDirs = ["packages", "apps"]
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(root, dir, name)))
  .filter((dir) => existsSync(join(dir, "package.json")));

const reportPath = (dir) => join(dir, ".vitest-report.json");
for (const dir of packageDirs) rmSync(reportPath(dir), { force: true });

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
  if (!existsSync(reportPath(dir))) {
    // The package's tests did not run at all (build or collection failed): count it as a failure.
    console.error(`no test report from ${pkg.name}`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(reportPath(dir), "utf8"));
  passed += report.numPassedTests;
  // A test file that failed to load has no test results of its own; count it once.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === "failed" && (file.assertionResults ?? []).length === 0,
  ).length;
  failed += report.numFailedTests + brokenFiles;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  console.log(`${pkg.name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
