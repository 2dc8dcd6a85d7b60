import { parseDuration } from "../sim/scenario/units.js";

/** Axis titles with units, for metrics and for the parameters sweeps usually vary. */
const METRIC_TITLES: Record<string, string> = {
  latency_mean_ms: "mean lookup latency (ms)",
  latency_p50_ms: "median lookup latency (ms)",
  latency_p90_ms: "90th percentile lookup latency (ms)",
  latency_p99_ms: "99th percentile lookup latency (ms)",
  failed_fraction: "failed lookups (fraction)",
  consistent_fraction: "lookups consistent with the true owner (fraction)",
  majority_consistent_fraction: "lookups consistent with the probe majority (fraction)",
  hops_mean: "mean hops per lookup",
  maintenance_bytes_per_node_s: "maintenance bandwidth (bytes/s per node)",
  total_bytes_per_node_s: "total bandwidth (bytes/s per node)",
  session_time_median_s: "measured median session time (s)",
  departures_per_s: "departures per second",
};

const PARAM_TITLES: Record<string, string> = {
  "churn.tMed": "median session time (min)",
  nodes: "nodes",
  "network.uplink": "access-link upload rate",
  "protocol.recovery": "leaf-set recovery",
  "protocol.timeouts": "timeouts",
  "protocol.pns": "proximity neighbour selection",
};

export function metricTitle(metric: string): string {
  if (metric.startsWith("bytes_per_node_s_")) return `${metric.slice("bytes_per_node_s_".length)} bandwidth sent (bytes/s per node)`;
  return METRIC_TITLES[metric] ?? metric;
}

export function paramTitle(param: string): string {
  return PARAM_TITLES[param] ?? param;
}

/**
 * How a swept parameter goes on an x axis: durations as minutes on a log axis (session times span decades),
 * other numbers on a linear axis, anything else as categories.
 */
export function paramAxis(values: readonly string[]): { kind: "minutes" | "number" | "category"; toX: (v: string) => number | string } {
  if (values.every((v) => /^[0-9.]+(ms|s|m|min|h|d)$/.test(v))) return { kind: "minutes", toX: (v) => parseDuration(v) / 60_000 };
  if (values.every((v) => v !== "" && Number.isFinite(Number(v)))) return { kind: "number", toX: (v) => Number(v) };
  return { kind: "category", toX: (v) => v };
}
