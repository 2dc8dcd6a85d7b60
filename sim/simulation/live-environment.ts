import type { SeededRandom } from "../engine/seeded-random.js";
import type { SimNode } from "../engine/sim-node.js";
import type { Address, NodeRuntime, ProtocolNode } from "../runtime/node-runtime.js";
import type { StorageReports } from "../runtime/storage-layer.js";
import type { Transport } from "../network/transport.js";
import type { RuntimeListener } from "./engine-runtime.js";

/**
 * What a run needs to go live: a real clock that paces the scheduler, a runtime per incarnation in place of the
 * engine's, and a transport that carries the messages the network model lets through. Churn, workload, metrics
 * and the network model stay the simulation's own; this is how a layer above (live/) plugs in without the
 * simulation knowing sockets.
 */
export interface LiveEnvironment {
  readonly clock: RealClock;
  readonly transport: Transport;
  /** The runtime of a new incarnation. */
  createRuntime(context: IncarnationContext): HostedRuntime;
  /** The protocol node the simulation drives for `node`: the protocol's own, or one wrapped to measure it. */
  instrument(node: SimNode, protocol: ProtocolNode): ProtocolNode;
  /** The incarnation has departed: stop its timers and close what it holds open. */
  departed(node: SimNode): void;
}

/** The wall clock as the scheduler follows it: events never run before their time comes. */
export interface RealClock {
  /** µs since the run began. */
  nowUs(): number;
  /** Resolves when the clock reaches `timeUs` (Infinity: when something arrives) or something arrives earlier. */
  wait(timeUs: number): Promise<void>;
}

/** A node's runtime as the simulation keeps it: inactive once its incarnation has departed. */
export interface HostedRuntime extends NodeRuntime, StorageReports {
  active: boolean;
}

/** What a live runtime is made from: the node, its random stream, and the simulation behind it. */
export interface IncarnationContext {
  readonly node: SimNode;
  readonly random: SeededRandom;
  readonly listener: RuntimeListener;
  /** Hands a message to the network model (which counts, queues, may drop it, then gives it to the transport). */
  send(to: Address, message: unknown, bytes: number, category: string): void;
  /** Brings the simulation's clock up to the wall clock, running what fell due, before code runs outside an event. */
  catchUp(): void;
}
