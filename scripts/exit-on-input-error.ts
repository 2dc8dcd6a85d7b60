import type { Command } from "commander";
import { InputError } from "../sim/scenario/errors.js";

/** Bad input ends a command with its one-line message and exit status 2; anything else is left to the caller. */
export function exitOnInputError(e: unknown): void {
  if (e instanceof InputError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
}

/**
 * The one grammar of command-line mistakes (an unknown option, a bad value, a missing argument) for every
 * command: one `error: ...` line, one line saying where the usage is, exit status 2. The whole help would bury
 * the reason; commander's own exit status 1 would read as a failed run. Help and version still exit 0.
 * Call after `.name(...)`: the hint is built from it.
 */
export function usageErrorsExit2(program: Command): Command {
  return program
    // Commander puts its "Did you mean" on a line of its own: keep it, on the error's line.
    .configureOutput({ outputError: (text, write) => write(text.replace(/\n\(Did you mean (.*)\)$/m, " (did you mean $1)")) })
    .showHelpAfterError(`run "${program.name()} --help" for usage`)
    .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
}

/** A usage mistake found after parsing (a value that needs the input to judge): same grammar as commander's own. */
export function usageError(program: Command, message: string): never {
  program.error(`error: ${message}`);
}
