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
 * Command-line mistakes (an unknown option, a bad value) exit 2 like any other bad input; commander's own
 * choice is 1, which would read as a failed run. Help and version still exit 0.
 */
export function usageErrorsExit2(program: Command): Command {
  return program.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
}
