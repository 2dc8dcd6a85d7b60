import type { Id } from "./ids.js";
import type { KeyBasedRouting } from "./key-based-routing.js";
import type { RandomStream } from "./random-stream.js";

/**
 * The only view of the engine that protocol code gets. Everything here but the optional oracle is implemented
 * over real sockets and the real clock too (live/live-runtime.ts), which is what keeps protocols honest: no
 * global node list, no scheduler, no oracle.
 */

/** A network address. Opaque to protocols apart from equality; never reused for a fresh node. */
export type Address = number;

/** What a protocol knows about another node: where to send to, and its identifier. */
export interface Contact {
  readonly address: Address;
  readonly id: Id;
}

export type TimerHandle = number;
export type LookupHandle = number;

/**
 * A protocol's own count of events (say, leaf-set changes), summed over every node of the run. The handle is
 * shared: get it once per node, then `add` on hot paths costs a field increment.
 */
export interface Counter {
  add(n?: number): void;
}

/** A protocol's own distribution of values (say, a table's size when it is looked at), over every node. */
export interface Sample {
  record(value: number): void;
}

export interface NodeRuntime<M = unknown> {
  readonly address: Address;
  readonly id: Id;
  /** This node's own random stream, independent of every other node's. */
  readonly random: RandomStream;
  /** Time in milliseconds: simulated, or the wall clock's since a live run began. */
  now(): number;
  /**
   * Send `message` to `to`. `bytes` is the payload above UDP; the network adds the 28-byte IP/UDP header,
   * counts it under `category` (e.g. "lookup", "leafset", "routing", "join", "liveness"), queues it behind this
   * node's access link and may drop it. A message to a departed node is silently lost.
   */
  send(to: Address, message: M, bytes: number, category: string): void;
  /**
   * Call `callback(arg)` after `delayMs`, unless cancelled or this node has departed by then. The argument lets
   * a timer set for every request share one callback rather than make a closure each time.
   */
  setTimer<A = undefined>(delayMs: number, callback: (arg: A) => void, arg?: A): TimerHandle;
  cancelTimer(handle: TimerHandle): void;
  /**
   * A node currently in the overlay, as a well-known bootstrap service would name one; null when the overlay
   * is empty. For joins that must try another gateway.
   */
  bootstrap(): Contact | null;
  /** The node has joined the overlay: from now on it issues lookups and can be a key's owner. */
  reportJoined(): void;
  /** A lookup this node was asked to perform has ended with the owner it found (or null when it failed). */
  reportLookup(lookup: LookupHandle, owner: Id | null, hops: number): void;
  /**
   * Simulation only: the true round-trip time to `to`'s host (ms), alive or not; null for an address that never
   * existed. No deployed node can
   * know this; it exists for oracle baselines (timeouts as p2psim's Chord sets them) and is absent from any
   * runtime over real sockets.
   */
  oracleRttMs?(to: Address): number | null;
  /**
   * The counter `name` of this protocol's statistics (lowercase letters, digits and `_`), one per run and
   * shared by every node: ask for it once per node, not per event. Recording never changes what the run does.
   */
  counter(name: string): Counter;
  /** The sample `name` of this protocol's statistics, as `counter` (a name is either a counter or a sample). */
  sample(name: string): Sample;
}

/** One protocol instance: the state machine of a single node. */
export interface ProtocolNode<M = unknown> {
  /** Start: join the overlay through `gateway`, a node already in it, or create the overlay when null. */
  join(gateway: Contact | null): void;
  receive(from: Address, message: M): void;
  /** Find the owner of `key` and report it with `runtime.reportLookup(handle, …)`. */
  lookup(key: Id, handle: LookupHandle): void;
  /**
   * Instead of `join`: start with the routing state a converged overlay of `members` would hold (the scenario's
   * `start: "converged"`, p2psim's initstate), and report joined. `members` are every initial node, this one
   * included, sorted by identifier; the same array is handed to every node. Simulation only, for like-for-like
   * comparison with simulators that start from converged tables: no deployed node knows every member. Optional;
   * a protocol offering it says so with `ProtocolDefinition.convergedStart`.
   */
  startConverged?(members: readonly Contact[]): void;
  /** Key-based routing for a layer stacked on this protocol (storage), when the protocol offers it. */
  readonly routing?: KeyBasedRouting;
}
