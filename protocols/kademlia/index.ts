import type { ProtocolDefinition } from "../../sim/runtime/index.js";
import { type KademliaMessage, KademliaNode } from "./kademlia-node.js";
import { KADEMLIA_WIRE } from "./wire.js";
import { type KademliaOptions, kademliaOptionsSchema, parseKademliaOptions } from "./options.js";

export const kademlia: ProtocolDefinition<KademliaOptions, KademliaMessage> = {
  name: "kademlia",
  description: "Kademlia (Maymounkov and Mazières, IPTPS 2002): XOR metric, k-buckets, α-parallel iterative lookups.",
  ownership: "xor",
  optionsSchema: kademliaOptionsSchema,
  parseOptions: parseKademliaOptions,
  keyBasedRouting: true,
  convergedStart: true,
  create: (runtime, options) => new KademliaNode(runtime, options),
  // Up to k contacts in each of the ~log2 N non-empty buckets.
  memoryPerNode: (nodes) => 8192 + 150 * 20 * Math.max(1, Math.log2(nodes)),
  wire: KADEMLIA_WIRE,
};
