import type { Command } from "commander";

/** Flags every command shares, read from the root program. */
export interface GlobalFlags {
  quiet: boolean;
  debug: boolean;
}

/** The global flags as the root program parsed them. */
export function globalFlags(command: Command): GlobalFlags {
  const options = command.optsWithGlobals<{ quiet?: boolean; debug?: boolean }>();
  return { quiet: options.quiet === true, debug: options.debug === true };
}

/** Example lines appended to a command's --help. */
export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`);
}
