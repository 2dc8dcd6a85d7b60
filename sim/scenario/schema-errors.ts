import type { ErrorObject } from "ajv";

export /** One line naming the JSON path and what was expected, from the first (most specific) schema error. */
function describeSchemaError(error: ErrorObject): { path: string; message: string } {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  const where = error.schemaPath;
  switch (error.keyword) {
    case "additionalProperties":
      return { path: `${error.instancePath}/${error.params.additionalProperty}`, message: "unknown key" };
    case "required":
      return { path, message: `missing required key "${error.params.missingProperty}"` };
    case "enum":
      return { path, message: `expected one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "format":
    case "pattern":
    case "anyOf":
    case "const":
      if (where.includes("/duration") || error.params.format === "duration") return { path, message: 'expected a duration such as "500ms", "90s", "23m" or "1.4h"' };
      if (where.includes("/rate")) return { path, message: 'expected a bit rate such as "1Mbps", "256kbps" or "unlimited"' };
      if (where.includes("/size")) return { path, message: 'expected a byte size such as "64KB" or "1MB"' };
      return { path, message: error.message ?? "invalid value" };
    default:
      return { path, message: `expected a value that ${error.message ?? "matches the schema"}` };
  }
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
