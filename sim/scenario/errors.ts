/**
 * Errors caused by what the user gave us (a scenario, a latency file, a trace), as opposed to bugs.
 * The CLI prints their message alone and exits with status 2; anything else is a bug and gets a stack.
 */
export class InputError extends Error {
  /** Where the problem is: a file path, optionally with `:line`, or a JSON path such as `/churn/tMed`. */
  readonly where: string;

  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "InputError";
    this.where = where;
  }
}

/** An InputError at a JSON path of a scenario file. */
export function failAt(file: string, path: string, message: string): never {
  throw new InputError(`${file}: ${path}`, message);
}
