import type { StorageOptions } from "../runtime/storage-layer.js";

/**
 * The scenario's `storage` section as the engine reads it (times in ms, sizes in bytes, defaults filled): which
 * replication the storage layer runs, with what options, and the storage workload that exercises it.
 */
export interface StorageWorkloadSpec {
  /** Mean time between puts of one client node (a Poisson process per joined node). */
  putIntervalMs: number;
  /** Mean time between gets of one client node. */
  getIntervalMs: number;
  /** Fraction of operations after a put that are removes of a value put earlier (by the same secret). */
  removeFraction: number;
  /** A put goes to a key already holding fewer than this many live values (half the time), or else to a fresh key. */
  valuesPerKey: number;
  /** TTL of every put, drawn uniformly in [min, max]. */
  ttlMs: { min: number; max: number };
  /** Value size in bytes, drawn uniformly in [min, max]. */
  valueBytes: { min: number; max: number };
  /** Fraction of gets aimed at a key put within the last `recentMs`; the rest at any key put and not expired. */
  recentGetFraction: number;
  recentMs: number;
  /** A put, remove or get not ended by then counts as a timeout. */
  timeoutMs: number;
}

/** Admission control at each put's root: which algorithm, and its rate and period (resolved per algorithm). */
export interface AdmissionSpec {
  algorithm: "none" | "openDht" | "fairSpaceTime" | "noQueuing" | "random" | "fairRate" | "fairStorage" | "fairCommitment";
  /** Bytes/s: the space-time algorithms' guaranteed rate, or openDht's fill rate per TTL class. */
  rateBytesPerS: number;
  /** Decision period of the queueing algorithms. */
  periodMs: number;
}

export interface ClientGroupSpec {
  name: string;
  count: number;
  /** Mean time between one client's puts (Poisson). */
  putIntervalMs: number;
  /** Mean time between one client's gets; 0: none. */
  getIntervalMs: number;
  ttlMs: { min: number; max: number };
  valueBytes: { min: number; max: number };
}

/** OpenDHT's clients: a population apart from the nodes, each putting and getting through a gateway node. */
export interface ClientsSpec {
  groups: ClientGroupSpec[];
  gateway: "nearest" | "random";
  gatewayTimeoutMs: number;
  againDelayMs: number;
  attempts: number;
}

/** ReDiR on OpenDHT's clients: the namespace's members, their sessions, and the tree's shape. */
export interface RedirSpec {
  members: number;
  sessionMeanMs: number;
  ttlMs: number;
  levels: number;
  branching: number;
  variant: "bamboo" | "general";
  startLevel: number;
  lookupIntervalMs: number;
}

export interface StorageSpec extends StorageOptions {
  workload: StorageWorkloadSpec;
  /** Null: every put is accepted. */
  admission: AdmissionSpec | null;
  /**
   * Null: every joined node is a client of its own storage layer. Without groups (a run with ReDiR and no clients
   * section), only the application's clients exist and the nodes keep their own workload.
   */
  clients: ClientsSpec | null;
  redir: RedirSpec | null;
}
