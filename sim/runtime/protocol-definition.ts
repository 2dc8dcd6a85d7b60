import type { NodeRuntime, ProtocolNode } from "./node-runtime.js";
import type { WireFormat } from "./wire-format.js";

/**
 * How a protocol defines a key's owner, so the oracle judges lookups by the protocol's own rule:
 * `ring` — numerically closest identifier around the ring (Pastry, Bamboo); `successor` — first identifier at
 * or after the key (Chord); `xor` — smallest XOR distance to the key (Kademlia).
 */
export type Ownership = "ring" | "successor" | "xor";

export interface ProtocolDefinition<Options = Record<string, unknown>, M = unknown> {
  readonly name: string;
  readonly description: string;
  readonly ownership: Ownership;
  /** JSON Schema of the scenario's `protocol` object apart from `name`; defaults are filled from it. */
  readonly optionsSchema: Record<string, unknown>;
  /**
   * Turns options that passed the schema (defaults filled) into the protocol's typed options. An option declared
   * `{ type: "string", format: "duration" }` is written "20s" in the scenario and arrives here in milliseconds.
   */
  parseOptions(options: Record<string, unknown>): Options;
  /** The protocol's nodes offer key-based routing (`ProtocolNode.routing`), so a storage layer can run on it. */
  readonly keyBasedRouting?: boolean;
  /** The protocol's nodes implement `ProtocolNode.startConverged`, so a scenario may start them from converged tables. */
  readonly convergedStart?: boolean;
  create(runtime: NodeRuntime<M>, options: Options): ProtocolNode<M>;
  /** Rough memory of one node's state in a network of `nodes` (bytes), so oversized runs are refused up front. */
  memoryPerNode?(nodes: number): number;
  /** Every message type's fields in wire order, so live mode can put the messages on real sockets. */
  readonly wire?: WireFormat;
}
