import type { ProtocolDefinition } from "../../sim/runtime/index.js";
import { BambooNode } from "./bamboo-node.js";
import type { Message } from "./messages.js";
import { BAMBOO_WIRE } from "./wire.js";
import { type BambooOptions, bambooOptionsSchema, parseBambooOptions } from "./options.js";

/**
 * Memory per node: leaf set, routing table (a level more per factor 16 of N), RTT estimates for the peers it has
 * measured, pending requests and timers, and the garbage between collections. Measured as peak RSS per node:
 * about 60 KiB at 1,000 nodes and 85 KiB at 100,000, hence this estimate, a little above.
 */
export const bambooMemoryPerNode = (nodes: number) => 32 * 1024 + 12 * 1024 * Math.log10(Math.max(10, nodes));

export const bamboo: ProtocolDefinition<BambooOptions, Message> = {
  name: "bamboo",
  description: "Bamboo (Rhea et al., USENIX ATC 2004): prefix routing with a leaf set, recursive routing with per-hop acknowledgements, periodic or reactive recovery, fixed or TCP-style timeouts, proximity neighbour selection.",
  ownership: "ring",
  keyBasedRouting: true,
  optionsSchema: bambooOptionsSchema,
  parseOptions: parseBambooOptions,
  create: (runtime, options) => new BambooNode(runtime, options),
  memoryPerNode: bambooMemoryPerNode,
  wire: BAMBOO_WIRE,
};
