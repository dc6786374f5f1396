import { createRequire } from "node:module";
import { stderr } from "node:process";
import { isCocokitError } from "@cocokit/core";
import { Command, CommanderError } from "commander";
import { convertCommand } from "./commands/convert.js";
import { evalCommand } from "./commands/eval.js";
import { filterCommand } from "./commands/filter.js";
import { mergeCommand } from "./commands/merge.js";
import { remapCommand } from "./commands/remap.js";
import { rleCommand } from "./commands/rle.js";
import { splitCommand } from "./commands/split.js";
import { statsCommand } from "./commands/stats.js";
import { validateCommand } from "./commands/validate.js";
import { ExitCode, exitCodeFor } from "./exit-code.js";
import { colorsFor } from "./output/colors.js";
import { formatFailure } from "./output/format-issues.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

/** The `cocokit` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command("cocokit")
    .description("Validate, convert, merge, split, filter and inspect COCO datasets.")
    .version(version, "-v, --version")
    .option("-q, --quiet", "no progress bars, no summary of what was written")
    .option("--debug", "show stack traces of errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const add of [
    validateCommand,
    convertCommand,
    statsCommand,
    mergeCommand,
    splitCommand,
    filterCommand,
    remapCommand,
    rleCommand,
    evalCommand,
  ]) {
    add(program).exitOverride();
  }
  return program;
}

// The one place errors become exit codes and printed lines; commands just throw.
async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = report(error, argv.includes("--debug"));
  }
}

function report(error: unknown, debug: boolean): number {
  const colors = colorsFor(stderr);
  if (error instanceof CommanderError) {
    // Commander has printed its message already; help and version are successes.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.failed;
  }
  if (isCocokitError(error) && error.code !== "internal_error") {
    const lines = [formatFailure(error, colors)];
    if (debug && error.stack !== undefined) lines.push(colors.dim(error.stack));
    stderr.write(`${lines.join("\n")}\n`);
    return exitCodeFor(error);
  }
  const message = error instanceof Error ? error.message : String(error);
  // The working directory is scrubbed so a pasted report does not leak local paths.
  const stack = (error instanceof Error && error.stack !== undefined ? error.stack : message).replaceAll(
    process.cwd(),
    "<cwd>",
  );
  stderr.write(
    [
      colors.red(`✖ cocokit hit a bug: ${message}`),
      "This is a bug in cocokit, not in your data. Please report it to the cocokit maintainers (issue tracker)",
      `with the command you ran and these lines: @cocokit/cli ${version}, node ${process.version}, ${process.platform}-${process.arch}`,
      debug ? colors.dim(stack) : colors.dim("(run again with --debug to include the stack trace)"),
      "",
    ].join("\n"),
  );
  return ExitCode.failed;
}

await main(process.argv);
