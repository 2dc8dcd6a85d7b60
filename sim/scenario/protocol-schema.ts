import type { ProtocolDefinition } from "../runtime/protocol-definition.js";

/**
 * The `protocol` section of scenarios/schema.json, generated from each protocol's own option schema, so that
 * an editor completes and checks a protocol's options as it does the rest of a scenario. The loader does not
 * validate with it (see `forValidation`): a protocol checks its options itself, in its own words.
 */
export function protocolSchemaSection(protocols: Readonly<Record<string, ProtocolDefinition<any, any>>>): Record<string, unknown> {
  const names = Object.keys(protocols);
  return {
    type: "object",
    required: ["name"],
    properties: {
      name: {
        enum: names,
        description: "A protocol under protocols/; its own options sit beside name and are validated by its schema.",
      },
    },
    allOf: names.map((name) => ({
      if: { properties: { name: { const: name } }, required: ["name"] },
      then: { properties: { name: true, ...forEditors(optionProperties(protocols[name])) }, additionalProperties: false },
    })),
  };
}

const optionProperties = (definition: ProtocolDefinition<any, any>) =>
  ((definition.optionsSchema as { properties?: Record<string, Record<string, unknown>> }).properties ?? {});

/** A protocol's option schemas as the scenario schema words them: its durations checked as every other one. */
function forEditors(properties: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => {
      if (schema.format !== "duration") return [key, schema];
      const { type: _type, format: _format, ...rest } = schema;
      return [key, { $ref: "#/definitions/duration", ...rest }];
    }),
  );
}

/**
 * The scenario schema the loader validates with: its generated protocol section replaced by the name alone.
 * Options are then checked by the protocol (a test double's too), whose errors name the protocol.
 */
export function forValidation(schema: Record<string, any>): Record<string, any> {
  const copy = structuredClone(schema);
  copy.properties.protocol = { type: "object", required: ["name"], properties: { name: { type: "string" } } };
  return copy;
}
