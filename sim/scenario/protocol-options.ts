import { Ajv, type ValidateFunction } from "ajv";
import type { ProtocolDefinition } from "../runtime/protocol-definition.js";
import { InputError } from "./errors.js";
import { describeSchemaError } from "./schema-errors.js";
import { DURATION_PATTERN, parseDuration } from "./units.js";

const compiled = new WeakMap<object, ValidateFunction>();
const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: true, verbose: true });
// A protocol declares a duration option as `{ type: "string", format: "duration" }`: written "20s" in the
// scenario like every other duration, and handed to the protocol in milliseconds.
ajv.addFormat("duration", new RegExp(DURATION_PATTERN));

/**
 * Checks a scenario's protocol options against the protocol's own schema, filling defaults in place; errors
 * are InputErrors whose `where` is the JSON path within the `protocol` object. Returns the protocol's definition.
 */
export function checkProtocolOptions(
  protocols: Readonly<Record<string, ProtocolDefinition<any, any>>>,
  name: string,
  options: Record<string, unknown>,
): ProtocolDefinition<any, any> {
  // Own keys only: a protocol named "constructor" or "__proto__" must not find Object's.
  const definition = Object.hasOwn(protocols, name) ? protocols[name] : undefined;
  if (definition === undefined) {
    throw new InputError("/name", `unknown protocol "${name}"; expected one of ${Object.keys(protocols).map((p) => `"${p}"`).join(", ")}`);
  }
  let validate = compiled.get(definition);
  if (validate === undefined) {
    validate = ajv.compile(definition.optionsSchema);
    compiled.set(definition, validate);
  }
  if (!validate(options)) {
    const error = (validate.errors ?? [])[0];
    const { path, message } = describeSchemaError(error);
    // Most often another protocol's option, left behind when --set changed protocol.name: name the protocol.
    const foreign = error.keyword === "additionalProperties" && error.instancePath === "";
    throw new InputError(path, foreign ? message.replace(/^unknown key/, `not an option of protocol "${name}"`) : message);
  }
  return definition;
}

/** The protocol's typed options from checked ones: every `format: "duration"` option converted to milliseconds. */
export function parseProtocolOptions<O>(definition: ProtocolDefinition<O, any>, options: Record<string, unknown>): O {
  const properties = (definition.optionsSchema.properties ?? {}) as Record<string, { format?: string }>;
  const resolved: Record<string, unknown> = { ...options };
  for (const [key, schema] of Object.entries(properties)) {
    if (schema.format === "duration" && typeof resolved[key] === "string") resolved[key] = parseDuration(resolved[key] as string);
  }
  return definition.parseOptions(resolved);
}
