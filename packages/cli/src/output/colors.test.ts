import { afterEach, describe, expect, it, vi } from "vitest";
import { colorsFor } from "./colors.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("colorsFor", () => {
  it.each([
    ["a TTY without NO_COLOR", { NO_COLOR: "", FORCE_COLOR: "" }, true, true],
    ["a TTY with NO_COLOR", { NO_COLOR: "1", FORCE_COLOR: "" }, true, false],
    ["a pipe", { NO_COLOR: "", FORCE_COLOR: "" }, false, false],
    ["a pipe with FORCE_COLOR", { NO_COLOR: "", FORCE_COLOR: "1" }, false, true],
    ["NO_COLOR over FORCE_COLOR", { NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
  ])("colours output or not on %s", (_, env, isTTY, coloured) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const red = colorsFor({ isTTY }).red("x");
    expect(red !== "x").toBe(coloured);
    if (!coloured) expect(red).toBe("x");
  });
});
