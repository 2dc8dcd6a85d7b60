import { describeMetric } from "../sim/metrics/registry.js";
import { parseDuration } from "../sim/scenario/units.js";

/** Axis titles for the parameters sweeps usually vary (metrics have theirs in the registry). */
const PARAM_TITLES: Record<string, string> = {
  "churn.tMed": "median session time (min)",
  nodes: "nodes",
  "network.uplink": "access-link upload rate",
  "protocol.recovery": "leaf-set recovery",
  "protocol.timeouts": "timeouts",
  "protocol.pns": "proximity neighbour selection",
};

/** A metric's axis title with its unit, from the registry; its bare name when no declaration knows it. */
export function metricTitle(metric: string): string {
  return describeMetric(metric)?.label ?? metric;
}

/** A metric's heading in a narrow report table. */
export function metricHeading(metric: string): string {
  const info = describeMetric(metric);
  return info?.short ?? info?.label ?? metric;
}

/** Decimal places for a metric in report tables. */
export function metricDigits(metric: string): number {
  return describeMetric(metric)?.digits ?? 0;
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
