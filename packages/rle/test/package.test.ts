import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const run = (args: string[]) => execFileSync("pnpm", ["exec", ...args], { cwd: pkg, encoding: "utf8" });

describe("published package (after build)", () => {
  it("passes publint without errors", () => {
    expect(() => run(["publint", "--strict"])).not.toThrow();
  }, 60_000);
  it("passes arethetypeswrong without problems", () => {
    expect(() => run(["attw", "--pack", ".", "--profile", "node16"])).not.toThrow();
  }, 120_000);
});
