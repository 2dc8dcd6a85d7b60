import type { ProtocolDefinition } from "../../sim/runtime.js";
import { BambooNode } from "./bamboo-node.js";
import type { Message } from "./messages.js";
import { type BambooOptions, bambooOptionsSchema, parseBambooOptions } from "./options.js";

export const bamboo: ProtocolDefinition<BambooOptions, Message> = {
  name: "bamboo",
  description: "Bamboo (Rhea et al., USENIX ATC 2004): prefix routing with a leaf set, recursive routing with per-hop acknowledgements, periodic or reactive recovery, fixed or TCP-style timeouts, proximity neighbour selection.",
  ownership: "ring",
  optionsSchema: bambooOptionsSchema,
  parseOptions: parseBambooOptions,
  create: (runtime, options) => new BambooNode(runtime, options),
  // Leaf set, routing table, RTT estimates and recently heard-of contacts: measured at about 30-40 KB.
  memoryPerNode: () => 48 * 1024,
};
