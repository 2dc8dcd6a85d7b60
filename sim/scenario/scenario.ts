import type { DistributionSpec } from "./distribution-specs.js";
import type { StorageSpec } from "./storage-spec.js";

// A scenario as the engine reads it. Each room of the engine takes its part (links, churn, faults) from here;
// load-scenario.ts turns a JSON document into one.

export type LatencySpec = { model: "synthetic"; hosts: number } | { model: "file"; file: string };

export interface LinkOptions {
  /** Access-link upload rate in bits/s; 0 means unlimited. */
  uplinkBps: number;
  /** Access-link download rate in bits/s; 0 means unlimited. */
  downlinkBps: number;
  /** Bytes each access-link queue holds before it drops new messages (drop-tail). */
  queueBytes: number;
  /** Probability that a message is lost in the network. */
  lossRate: number;
  /** Time each received message occupies its node before the protocol sees it (FIFO per node); 0: none. */
  processingUs: number;
}

export type ChurnSpec =
  | { process: "none" }
  | { process: "replacement"; tMedMs: number }
  | { process: "lifetime"; sessions: DistributionSpec; downtime: DistributionSpec | null }
  | { process: "trace"; file: string; format: "csv" | "p2psim" };

/** Faults injected on purpose (times in ms, rates in bits/s). */
export type Fault =
  | { type: "partition"; atMs: number; untilMs: number; fraction: number }
  | { type: "mass-failure"; atMs: number; fraction: number; replaceAfterMs: number | null }
  | { type: "loss"; atMs: number; untilMs: number; rate: number }
  | { type: "slowdown"; atMs: number; untilMs: number; fraction: number; uplinkBps: number };

/** A scenario after validation: defaults filled, units converted to ms, bits/s and bytes, paths resolved. */
export interface Scenario {
  name: string;
  description: string;
  seed: number;
  nodes: number;
  durationMs: number;
  warmupMs: number;
  joinPhaseMs: number;
  /**
   * How the initial nodes start: `join`, each through a bootstrap node over the join phase; `converged`, all at
   * time 0 with the routing state of a converged overlay (p2psim's initstate; for like-for-like comparison only).
   */
  start: "join" | "converged";
  latency: LatencySpec;
  accessDelayMs: number;
  links: LinkOptions;
  churn: ChurnSpec;
  workload: {
    lookupIntervalMs: number;
    lookupTimeoutMs: number;
    probeIntervalMs: number;
    probeSize: number;
    /** p2psim's retried lookups: a wrong or failed answer is asked again every `everyMs` until `untilMs`; null: off. */
    retry: { everyMs: number; untilMs: number } | null;
  };
  protocol: { name: string; options: Record<string, unknown> };
  /** The replicated store and its workload; null when the scenario has no `storage` section. */
  storage: StorageSpec | null;
  metrics: { windowMs: number };
  faults: Fault[];
  /** The scenario as JSON with every default written out: what `scenario.json` records and can be re-run. */
  document: Record<string, unknown>;
}

/** What a scenario needs to know of its protocol beyond its options. */
export interface ProtocolTraits {
  /** The protocol offers key-based routing, which a `storage` section runs on. */
  readonly keyBasedRouting?: boolean;
  /** The protocol's nodes can start from converged tables (`start: "converged"`). */
  readonly convergedStart?: boolean;
}

/**
 * Validates a protocol's options (the `protocol` object without `name`), filling its defaults in place; returns
 * the protocol's definition (or what of it the scenario needs), so a `storage` section can check that the protocol
 * offers key-based routing.
 */
export type ProtocolOptionsCheck = (name: string, options: Record<string, unknown>) => ProtocolTraits | void;

export interface ScenarioOverrides {
  seed?: number;
  nodes?: number;
  duration?: string;
  /** Dotted-path assignments applied before validation, e.g. ["churn.tMed", "23m"]. */
  set?: { path: string; value: unknown }[];
}
