import { InvalidArgumentError } from "commander";
import { parseAssignment } from "../sim/scenario/json-path.js";

// Parsers of numeric option values, shared so every command refuses the same mistakes at the command line
// (with the option's name) rather than later, or in words that blame the scenario file.

/** A whole number from `min` to `max` (at most MAX_SAFE_INTEGER: larger ones would silently round). */
export const integerIn = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) => (text: string) => {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) {
    const what = max < Number.MAX_SAFE_INTEGER ? `an integer from ${min} to ${max}` : min === 1 ? "a positive integer" : min === 0 ? "a non-negative integer" : `an integer ≥ ${min}`;
    throw new InvalidArgumentError(`${name} must be ${what}, got "${text}"`);
  }
  return n;
};

/** A whole number ≥ 1: counts (nodes, parallel jobs). */
export const positiveInteger = (name: string) => integerIn(name, 1);

/** A decimal number > 0, no exponent: amounts of time. */
export const positiveNumber = (name: string) => (text: string) => {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(Number(text) > 0)) throw new InvalidArgumentError(`${name} must be a positive number, got "${text}"`);
  return Number(text);
};

export type Assignment = ReturnType<typeof parseAssignment>;

/**
 * `--set path=value`, repeatable: parsed while the command line is, so a malformed assignment is a usage error
 * like any other bad option value.
 */
export const assignments = (text: string, previous: Assignment[]): Assignment[] => {
  try {
    return [...previous, parseAssignment(text)];
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

/** `--seed`: the scenario's own range of seeds, checked here so the message names the option, not the file. */
export const seedValue = integerIn("--seed", 0, 2 ** 32 - 1);
