import { InputError } from "../sim/scenario/errors.js";

/** Bad input ends a command with its one-line message and exit status 2; anything else is left to the caller. */
export function exitOnInputError(e: unknown): void {
  if (e instanceof InputError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
}
