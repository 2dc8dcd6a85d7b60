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
