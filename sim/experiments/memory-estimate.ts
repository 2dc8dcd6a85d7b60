import { getHeapStatistics } from "node:v8";
import type { ProtocolDefinition } from "../runtime/protocol-definition.js";
import { InputError } from "../scenario/errors.js";
import type { Scenario } from "../scenario/scenario.js";

/** The engine's own state per node incarnation (record, runtime, random stream, set entries), measured loosely. */
const ENGINE_BYTES_PER_NODE = 1536;
/** Protocols that do not say: a structured overlay with a few dozen neighbours. */
const DEFAULT_PROTOCOL_BYTES_PER_NODE = 64 * 1024;
/** The runtime, the code and the garbage a run produces between collections. */
const BASELINE_BYTES = 256 * 1024 * 1024;

/**
 * A rough upper estimate of a run's memory, so that a run that cannot fit is refused before it starts rather
 * than failing hours in. Departed nodes keep their small engine record (addresses are never reused).
 */
export function estimateRunBytes(scenario: Scenario, protocol: ProtocolDefinition<any, any>): number {
  const n = scenario.nodes;
  const runSeconds = scenario.durationMs / 1000;
  const departures = scenario.churn.process === "replacement" ? ((n * Math.LN2) / (scenario.churn.tMedMs / 1000)) * runSeconds : n * 4;
  const latency = scenario.latency.model === "synthetic" ? scenario.latency.hosts * 32 : 0;
  const perNode = protocol.memoryPerNode?.(n) ?? DEFAULT_PROTOCOL_BYTES_PER_NODE;
  return BASELINE_BYTES + latency + (n + departures) * ENGINE_BYTES_PER_NODE + n * perNode;
}

/** Refuses, with the estimate, a run that would not fit in `availableBytes`; returns the estimate otherwise. */
export function refuseIfTooLarge(scenario: Scenario, protocol: ProtocolDefinition<any, any>, availableBytes: number, file = "scenario"): number {
  const estimate = estimateRunBytes(scenario, protocol);
  if (estimate > availableBytes) {
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    throw new InputError(
      `${file}: /nodes`,
      `${scenario.nodes} nodes of ${protocol.name} need about ${gib(estimate)} of memory, more than the ${gib(availableBytes)} available; run fewer nodes or a shorter run`,
    );
  }
  return estimate;
}

/**
 * The V8 heap limit (MiB) a run needs beyond the one this process has, or null when this one is enough. V8 lets
 * its heap grow towards its limit before it collects in earnest, so a limit far above what a run holds turns into
 * resident memory: at 100,000 nodes a limit of 1.5 × the estimate let RSS pass 12 GiB while the simulation held
 * about half of that. The estimate errs high and counts typed arrays and the runtime, which live outside V8's
 * heap; 0.8 of it leaves the heap room to spare (a 10,000-node Bamboo run holds under half of its estimate after
 * a full collection).
 */
export function largerHeapMiB(estimateBytes: number, availableBytes: number): number | null {
  const wanted = Math.min(availableBytes, 0.8 * estimateBytes);
  return wanted > getHeapStatistics().heap_size_limit ? Math.ceil(wanted / 2 ** 20) : null;
}
