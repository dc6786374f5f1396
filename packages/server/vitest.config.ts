import { defineConfig } from "vitest/config";

// `COCOKIT_TEST_DATABASE=postgres` runs the suite again on PostgreSQL (see test/helpers.ts),
// without the files that never touch the store or test SQLite itself.
const onPostgres = process.env.COCOKIT_TEST_DATABASE === "postgres";
const SQLITE_OR_STORELESS = [
  "src/**/*.test.ts",
  "test/config.test.ts",
  "test/errors.test.ts",
  "test/job-temporaries.test.ts",
  "test/openapi.test.ts",
  "test/db/patient-dialect.test.ts",
  "test/db/immediate-dialect.test.ts",
  "test/routes/web.test.ts",
  "test/e2e/cli.test.ts",
  "test/e2e/kill9.test.ts",
  // Chooses its stores itself (PostgreSQL, Redis and S3) in either pass.
  "test/scale/shared-services.test.ts",
];

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...(onPostgres ? SQLITE_OR_STORELESS : [])],
    globalSetup: ["test/global-setup.ts"],
    restoreMocks: true,
    testTimeout: 60_000,
  },
});
