import type { ErrorObject } from "ajv";

export /** One line naming the JSON path and what was expected, from the first (most specific) schema error. */
function describeSchemaError(error: ErrorObject): { path: string; message: string } {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  switch (error.keyword) {
    case "additionalProperties":
      return { path: `${error.instancePath}/${error.params.additionalProperty}`, message: unknownKey(error.params.additionalProperty as string, knownKeys(error)) };
    case "required":
      return { path, message: `missing required key "${error.params.missingProperty}"` };
    case "enum":
      return { path, message: `expected one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "format":
    case "pattern":
    case "anyOf":
    case "const":
      return { path, message: unitExpected(error) ?? error.message ?? "invalid value" };
    case "type":
      // A quantity with a unit is a string in the schema, but "a string" would not say that 23 needs its "m".
      return { path, message: unitExpected(error) ?? `expected ${TYPE_NAMES[String(error.params.type)] ?? String(error.params.type)}` };
    case "minimum":
      return { path, message: `expected at least ${error.params.limit}` };
    case "maximum":
      return { path, message: `expected at most ${error.params.limit}` };
    case "exclusiveMinimum":
      return { path, message: `expected more than ${error.params.limit}` };
    case "exclusiveMaximum":
      return { path, message: `expected less than ${error.params.limit}` };
    case "minItems":
      return { path, message: `expected at least ${error.params.limit} item${error.params.limit === 1 ? "" : "s"}` };
    default:
      return { path, message: `expected a value that ${error.message ?? "matches the schema"}` };
  }
}

/** What a value with a unit looks like, when the failing schema is a duration, a bit rate or a byte size. */
function unitExpected(error: ErrorObject): string | undefined {
  // The scenario schema's shared definitions (not a key that happens to be named "rate", such as a fault's).
  const definition = /\/definitions\/(duration|rate|size)(Range)?\//.exec(error.schemaPath)?.[1];
  const format = (error.parentSchema as { format?: string } | undefined)?.format;
  if (definition === "duration" || error.params.format === "duration" || format === "duration") return 'expected a duration such as "500ms", "90s", "23m" or "1.4h"';
  if (definition === "rate") return 'expected a bit rate such as "1Mbps", "256kbps" or "unlimited"';
  if (definition === "size") return 'expected a byte size such as "64KB" or "1MB"';
  return undefined;
}

const TYPE_NAMES: Record<string, string> = {
  integer: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object ({ … })",
  array: "a list ([ … ])",
};

/** The keys the object may have, from the schema the error was raised against (ajv's `verbose` errors carry it). */
function knownKeys(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties === undefined ? [] : Object.keys(properties);
}

/** "unknown key", the key it most likely meant (a typo: at most two edits away), and the keys allowed. */
function unknownKey(key: string, known: readonly string[]): string {
  if (known.length === 0) return "unknown key";
  const near = known.map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) })).filter((x) => x.d <= 2).sort((a, b) => a.d - b.d)[0];
  const hint = near === undefined ? "" : `; did you mean "${near.k}"?`;
  return `unknown key${hint} (expected one of ${known.map((k) => `"${k}"`).join(", ")})`;
}

/** Levenshtein distance, for typo hints on a handful of short keys. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/**
 * The error to report. Usually the first (most specific); but when a value matches no branch of an `anyOf` (a
 * duration or a {min, max} range of them), the first is the first branch's complaint, so an error inside the
 * object, or a missing key of it, says more.
 */
export function pickSchemaError(errors: readonly ErrorObject[]): ErrorObject {
  const last = errors[errors.length - 1];
  if (last.keyword === "anyOf") {
    const inside = errors.find((e) => e.instancePath.startsWith(`${last.instancePath}/`));
    if (inside !== undefined) return inside;
    const missing = errors.find((e) => e.keyword === "required" && e.instancePath === last.instancePath);
    if (missing !== undefined) return missing;
  }
  return errors[0];
}
