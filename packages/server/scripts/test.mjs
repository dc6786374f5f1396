// The server's suite runs twice: on SQLite (the default store), then on PostgreSQL
// (COCOKIT_TEST_DATABASE=postgres, see test/helpers.ts). Each run writes its own vitest JSON
// report, and the root's scripts/run-tests.mjs counts both. Extra arguments go to both runs.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const runs = [
  { store: "sqlite", report: ".vitest-report.json" },
  { store: "postgres", report: ".vitest-report-postgres.json" },
];
let failed = false;
for (const { store, report } of runs) {
  process.stdout.write(`\n@cocokit/server tests on ${store}\n\n`);
  const run = spawnSync(
    process.execPath,
    [
      vitest,
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...process.argv.slice(2),
    ],
    { stdio: "inherit", env: { ...process.env, COCOKIT_TEST_DATABASE: store } },
  );
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
