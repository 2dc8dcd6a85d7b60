import { InputError } from "./errors.js";

/**
 * JSON.parse of a file's text, a syntax error reported at `file:line:column` (as editors and compilers say it)
 * rather than at the character offset JSON.parse gives.
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    if (at === null) throw new InputError(file, `not valid JSON: ${message}`);
    const { line, column } = lineAndColumn(text, Number(at[1]));
    // Node adds the offset (and from version 21 its own line and column) to the reason: keep only the reason.
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/s, "").replace(/\s+in JSON$/, "");
    throw new InputError(`${file}:${line}:${column}`, `not valid JSON: ${reason}`);
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
