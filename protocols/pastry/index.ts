import type { ProtocolDefinition } from "../../sim/runtime/index.js";
import { BambooNode } from "../bamboo/bamboo-node.js";
import { bambooMemoryPerNode } from "../bamboo/index.js";
import type { Message } from "../bamboo/messages.js";
import { BAMBOO_WIRE } from "../bamboo/wire.js";
import { type BambooOptions, bambooOptionsSchema, parseBambooOptions } from "../bamboo/options.js";

/**
 * FreePastry as the paper's comparison saw it, approximated by Bamboo's code with FreePastry's choices as
 * defaults: reactive leaf-set recovery (the new leaf set sent to every member on each change) and fixed 5 s
 * timeouts. Everything else — prefix routing, leaf set of 4 per side, proximity neighbour selection, per-hop
 * acknowledgements — stays Bamboo's, so this isolates the two choices the paper blames, not FreePastry itself.
 */
const PASTRY_DEFAULTS: Record<string, unknown> = { recovery: "reactive", timeouts: "fixed" };

const properties = Object.fromEntries(
  Object.entries(bambooOptionsSchema.properties).map(([key, schema]) => [key, key in PASTRY_DEFAULTS ? { ...schema, default: PASTRY_DEFAULTS[key] } : schema]),
);

export const pastry: ProtocolDefinition<BambooOptions, Message> = {
  name: "pastry",
  description: "A FreePastry-style baseline: Bamboo with reactive recovery and fixed timeouts (an approximation).",
  ownership: "ring",
  keyBasedRouting: true,
  optionsSchema: { ...bambooOptionsSchema, properties },
  parseOptions: parseBambooOptions,
  create: (runtime, options) => new BambooNode(runtime, options),
  memoryPerNode: bambooMemoryPerNode,
  // Bamboo's messages, so Bamboo's wire format.
  wire: BAMBOO_WIRE,
};
