import type { Id } from "./ids.js";
import type { KeyBasedRouting } from "./key-based-routing.js";
import type { Address, NodeRuntime } from "./node-runtime.js";

/**
 * The storage layer as the engine sees it: one instance per node, stacked on the node's routing protocol (through
 * key-based routing only), asked by the storage workload to put, get and remove, and reporting what happened.
 * Values are modelled by hash and size, never stored as bytes.
 */

export type OpHandle = number;

/** A value as a client puts it: what identifies it, its size, and the hash of the secret that may remove it. */
export interface ValueRef {
  /** Identifies the value among the values under its key (a SHA-1 in OpenDHT; a 32-bit number here). */
  readonly valueHash: number;
  /** Bytes of the value. */
  readonly size: number;
  /** Hash of the secret a remove must show; 0 for a value put without one. */
  readonly secretHash: number;
  /**
   * Who put it, the identity fair admission shares storage over (OpenDHT: the client's IP address): a client's
   * number, the putting node's address when nodes are their own clients, or −1 for nobody in particular.
   */
  readonly client: number;
}

/** What the storage workload asks of a node. A node that is not joined yet still accepts operations and routes them. */
export interface StorageNode {
  /** Store `value` under `key` for `ttlMs`; reports `putEnded(handle, …)`. */
  put(handle: OpHandle, key: Id, value: ValueRef, ttlMs: number): void;
  /** Remove the value `valueHash` under `key` by showing `secret` (whose hash the put carried); reports `putEnded`. */
  remove(handle: OpHandle, key: Id, valueHash: number, secret: number, ttlMs: number): void;
  /** Every live value under `key`; reports `getEnded(handle, …)`. */
  get(handle: OpHandle, key: Id): void;
  /** A message of the storage layer (its `layer` field is "storage"). */
  receive(from: Address, message: StorageMessageBase): void;
  /** The tuples this node holds, kept by the engine across a departure when the node will return (its disk). */
  readonly disk: StorageDisk;
  /** Bytes this node stores (values and their keys, as Bamboo's StorageManager accounts them). */
  readonly storedBytes: number;
}

/**
 * The hash of a remove's secret, which the put carried: replicas check a remove against it. A 32-bit mix in place of
 * SHA-1; never 0, which stands for "no secret".
 */
export function hashSecret(secret: number): number {
  let h = Math.imul(secret ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h === 0 ? 1 : h;
}

/** Every storage message carries this field, so a node's messages can be told from its routing protocol's. */
export interface StorageMessageBase {
  readonly layer: "storage";
}

/** A node's stored tuples as the oracle walks them (when the node departs or returns). */
export interface StorageDisk {
  forEachTuple(visit: (key: Id, valueHash: number, remove: boolean, expiresUs: number) => void): void;
}

/**
 * How a put or remove ended at the gateway: stored (`ok`); refused or given up (`failed`: a remove whose secret does
 * not match, or no answer from the root after the gateway's re-sends); or refused by the root's admission control
 * with OpenDHT's codes, `again` (try again soon) or `cap` (over capacity).
 */
export type PutOutcome = "ok" | "failed" | "again" | "cap";

/** What a node's storage layer tells the engine: simulation's judge, as `reportLookup` is for lookups. */
export interface StorageReports {
  /**
   * A put or remove this node was asked for ended (stored with this many replica acks besides the root's own write,
   * refused, or given up); `attempts` counts the sends to the root (1: the first try succeeded).
   */
  putEnded(handle: OpHandle, outcome: PutOutcome, acks: number, attempts: number): void;
  /**
   * A get this node was asked for ended with these value hashes (null: it failed), after asking this many replicas
   * (the root included) over `attempts` sends to the root.
   */
  getEnded(handle: OpHandle, values: readonly number[] | null, replicasContacted: number, attempts: number): void;
  /** This node now holds (+1) or no longer holds (−1) the tuple: a put, or a remove's tombstone. */
  held(key: Id, valueHash: number, remove: boolean, delta: 1 | -1): void;
}

/**
 * How a gateway completes a get, after the modes of Bamboo's Dht (WORLDS'05): `quorumSync` — the deployed mode:
 * answers from a majority of the replica set, min(n, n/2 + 1), the replicas the root synchronised with lately
 * counting as answers, the others asked directly; `quorum` — the same majority, every replica asked; `rootOnly` —
 * the root's values alone; `successors` — the root's values, or when it has none the replicas one at a time until
 * one has some (DHash reading from the successors, OverSim's push).
 */
export type GetMode = "quorumSync" | "quorum" | "rootOnly" | "successors";

/** Which replication the storage layer runs: Bamboo's (OpenDHT), DHash's (MIT Chord), or push-on-change (OverSim). */
export type Replication = "bamboo" | "dhash" | "push";

/** The storage layer's options, from the scenario's `storage` section (times in ms, sizes in bytes). */
export interface StorageOptions {
  replication: Replication;
  /** Replica-set size r (the root included). */
  replicas: number;
  /** Bamboo: replica acks the root waits for before reporting a put stored. */
  requiredAcks: number;
  /** Bamboo: anti-entropy period (each round after period + U(0, period)); DHash: local maintenance period. */
  maintenanceMs: number;
  /** Hand-off of tuples a node is no longer responsible for (Bamboo) / global maintenance (DHash): scan period. */
  handoffMs: number;
  /** DHash: Carbonite's rule (repair only below r reachable copies, keep surplus copies). */
  carbonite: boolean;
  /** The node a client asked (its gateway) re-sends a put or get not answered by then. */
  retryMs: number;
  /** How the gateway completes a get once the key's root has answered. */
  getMode: GetMode;
  maxTtlMs: number;
  maxValueBytes: number;
}

export interface StorageDefinition {
  readonly name: Replication;
  readonly description: string;
  /**
   * One node's storage layer over its routing layer. `disk` is what the node held when it last departed (null for
   * a fresh node); its expired tuples are dropped. `admission` decides the puts that reach this node as their root
   * (null: every put is accepted).
   */
  create(
    runtime: NodeRuntime,
    routing: KeyBasedRouting,
    options: StorageOptions,
    reports: StorageReports,
    disk: StorageDisk | null,
    admission: PutAdmission | null,
  ): StorageNode;
}

/** A root's admission verdict on a put, OpenDHT's status codes: stored, try again soon, over capacity. */
export type AdmissionVerdict = "ok" | "again" | "cap";

/**
 * Admission control at a put's root (OpenDHT's protection against overuse): each put that reaches this node as its
 * root is offered with its client's identity, size and TTL, and `decide` is called exactly once with the verdict —
 * at once, or later for a put the algorithm queues — unless the node departs first. Removes are not offered.
 */
export interface PutAdmission {
  offer(client: number, sizeBytes: number, ttlMs: number, decide: (verdict: AdmissionVerdict) => void): void;
}

/** Builds each node's admission control, from the scenario's `admission` section. */
export interface AdmissionDefinition {
  readonly name: string;
  create(runtime: NodeRuntime): PutAdmission;
}
