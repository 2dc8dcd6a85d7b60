import { Ajv, type ValidateFunction } from "ajv";
import { InputError } from "./errors.js";
import type { ProtocolDefinition } from "./runtime.js";
import { describeSchemaError } from "./scenario.js";

const compiled = new WeakMap<object, ValidateFunction>();
const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: true });

/**
 * Checks a scenario's protocol options against the protocol's own schema, filling defaults in place; errors
 * are InputErrors whose `where` is the JSON path within the `protocol` object.
 */
export function checkProtocolOptions(
  protocols: Readonly<Record<string, ProtocolDefinition<any, any>>>,
  name: string,
  options: Record<string, unknown>,
): void {
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
    const { path, message } = describeSchemaError((validate.errors ?? [])[0]);
    throw new InputError(path, message);
  }
}
