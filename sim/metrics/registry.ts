import type { Summary } from "./metrics.js";
import type { CounterSummary, SampleSummary } from "./protocol-stats.js";

/** Which way a metric is better; `none` for what describes the conditions (session times) rather than the system. */
export type Better = "higher" | "lower" | "none";

/** How a metric's runs at one grid point combine: today the mean with a Student-t 95% interval across seeds. */
export type Aggregate = "mean_t95";

/** The values a metric can take, lowest and highest: a t interval from few seeds can reach past them, so is clamped. */
export type Range = readonly [low: number, high: number];
/** ReDiR's block of a run's summary, when it ran ReDiR. */
function redir(s: Summary): { correct_fraction: number | null; gets_per_lookup_mean: number | null; gets_per_round_mean: number | null; puts_per_round_mean: number | null; latency_mean_ms: number | null } | undefined {
  return s.storage?.redir as ReturnType<typeof redir>;
}

const sumOrNull = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : a + b);

export const FRACTION: Range = [0, 1];
export const NON_NEGATIVE: Range = [0, Infinity];
export const UNBOUNDED: Range = [-Infinity, Infinity];

/** What a metric is, apart from how it is read: enough to label, order and compare it. */
export interface MetricInfo {
  /** Its name in runs.csv and summary.csv, and for `npm run figures -- --y`. */
  name: string;
  /** Its unit, for tables and anyone reading the CSV: `ms`, `s`, `fraction`, `bytes/s per node`, … */
  unit: string;
  /** Axis title and report-table heading, with the unit as readers expect it. */
  label: string;
  better: Better;
  aggregate: Aggregate;
  range: Range;
  /** A shorter heading for narrow report tables; the label when absent. */
  short?: string;
  /** Decimal places in report tables (0 when absent; fractions show as percentages). */
  digits?: number;
}

/** A metric of every run: declared once here, read from a run's summary (null when the run has no value). */
export interface MetricDeclaration extends MetricInfo {
  read(s: Summary): number | null;
}

/**
 * A family of metrics whose members depend on the run (a message category, a protocol's statistic): how to list
 * a run's members, and how to describe a member from its name alone (figures see only summary.csv).
 */
export interface MetricFamily {
  /** The members' name pattern, for documentation: `bytes_per_node_s_<category>`. */
  pattern: string;
  members(s: Summary): { name: string; value: number | null }[];
  describe(name: string): MetricInfo | undefined;
}

const metric = (
  name: string,
  unit: string,
  label: string,
  better: Better,
  range: Range,
  read: (s: Summary) => number | null | undefined,
  table: Pick<MetricInfo, "short" | "digits"> = {},
): MetricDeclaration => ({
  name,
  unit,
  label,
  better,
  aggregate: "mean_t95",
  range,
  ...table,
  // summary.json written before a metric existed lacks it: no value, not NaN.
  read: (s) => read(s) ?? null,
});

/** Every metric a run has, in the order of runs.csv and summary.csv. Add a metric here and where it is measured. */
export const METRICS: readonly MetricDeclaration[] = [
  metric("latency_mean_ms", "ms", "mean lookup latency (ms)", "lower", NON_NEGATIVE, (s) => s.latency_ms.mean),
  metric("latency_p50_ms", "ms", "median lookup latency (ms)", "lower", NON_NEGATIVE, (s) => s.latency_ms.p50),
  metric("latency_p90_ms", "ms", "90th percentile lookup latency (ms)", "lower", NON_NEGATIVE, (s) => s.latency_ms.p90),
  metric("latency_p99_ms", "ms", "99th percentile lookup latency (ms)", "lower", NON_NEGATIVE, (s) => s.latency_ms.p99),
  metric("failed_fraction", "fraction", "failed lookups (fraction)", "lower", FRACTION, (s) => s.failed_fraction, { short: "failed lookups" }),
  metric("consistent_fraction", "fraction", "lookups consistent with the true owner (fraction)", "higher", FRACTION, (s) => s.consistent_fraction, { short: "consistent lookups" }),
  metric("majority_consistent_fraction", "fraction", "consistent with the probe majority (fraction)", "higher", FRACTION, (s) => s.majority_consistent_fraction, { short: "consistent with the probe majority" }),
  metric("hops_mean", "hops", "mean hops per lookup", "lower", NON_NEGATIVE, (s) => s.hops_mean, { short: "hops per lookup", digits: 2 }),
  metric("maintenance_bytes_per_node_s", "bytes/s per node", "maintenance bandwidth (bytes/s per node)", "lower", NON_NEGATIVE, (s) => s.maintenance_bytes_per_node_s),
  metric("total_bytes_per_node_s", "bytes/s per node", "total bandwidth (bytes/s per node)", "lower", NON_NEGATIVE, (s) => s.total_bytes_per_node_s),
  metric("session_time_median_s", "s", "measured median session time (s)", "none", NON_NEGATIVE, (s) => s.session_time_median_s),
  metric("session_time_mean_s", "s", "measured mean session time (s)", "none", NON_NEGATIVE, (s) => s.session_time_mean_s),
  metric("departures_per_s", "1/s", "departures per second", "none", NON_NEGATIVE, (s) => s.departures_per_s, { digits: 2 }),
  // A storage layer's (no value in runs without one).
  metric("put_ok_fraction", "fraction", "puts stored (fraction)", "higher", FRACTION, (s) => s.storage?.put_ok_fraction, { short: "puts stored" }),
  metric("put_latency_p50_ms", "ms", "median put latency (ms)", "lower", NON_NEGATIVE, (s) => s.storage?.put_latency_ms.p50),
  metric("put_latency_p99_ms", "ms", "99th percentile put latency (ms)", "lower", NON_NEGATIVE, (s) => s.storage?.put_latency_ms.p99),
  metric("get_complete_fraction", "fraction", "gets returning every value expected (fraction)", "higher", FRACTION, (s) => s.storage?.get_complete_fraction, { short: "complete gets" }),
  metric("get_first_try_fraction", "fraction", "gets complete at the first try (fraction)", "higher", FRACTION, (s) => s.storage?.get_first_try_fraction, { short: "first-try gets" }),
  metric("get_stale_fraction", "fraction", "gets returning a stale value (fraction)", "lower", FRACTION, (s) => (s.storage === undefined || s.storage.gets === 0 ? null : s.storage.gets_stale / s.storage.gets), { short: "stale gets" }),
  metric("get_latency_p50_ms", "ms", "median get latency (ms)", "lower", NON_NEGATIVE, (s) => s.storage?.get_latency_ms.p50),
  metric("get_latency_p99_ms", "ms", "99th percentile get latency (ms)", "lower", NON_NEGATIVE, (s) => s.storage?.get_latency_ms.p99),
  metric("values_lost_fraction", "fraction", "values lost (fraction of values stored)", "lower", FRACTION, (s) => s.storage?.values_lost_fraction, { short: "values lost" }),
  metric("data_maintenance_bytes_per_node_s", "bytes/s per node", "data maintenance bandwidth (bytes/s per node)", "lower", NON_NEGATIVE, (s) => s.storage?.data_maintenance_bytes_per_node_s),
  metric("stored_bytes_per_node", "bytes", "stored bytes per live node, S/N (bytes)", "none", NON_NEGATIVE, (s) => s.storage?.stored_bytes_per_node_mean, { short: "S/N (bytes)" }),
  metric("blake_rodrigues_bytes_per_node_s", "bytes/s per node", "Blake–Rodrigues bound 2(S/N)/T (bytes/s per node)", "none", NON_NEGATIVE, (s) => s.storage?.blake_rodrigues_bytes_per_node_s, { short: "bound 2(S/N)/T", digits: 1 }),
  // OpenDHT's clients and ReDiR (no value in runs without them).
  metric("clients_put_ok_fraction", "fraction", "clients' puts stored (fraction)", "higher", FRACTION, (s) => s.storage?.clients?.put_ok_fraction, { short: "clients' puts stored" }),
  metric("clients_max_min_deviation", "ratio", "largest deviation from a max-min share (relative)", "lower", NON_NEGATIVE, (s) => s.storage?.clients?.max_min_deviation, { short: "deviation from max-min" }),
  metric("clients_max_min_jain", "fraction", "Jain's index over max-min shares", "higher", FRACTION, (s) => s.storage?.clients?.max_min_jain, { short: "Jain's index" }),
  metric("redir_correct_fraction", "fraction", "ReDiR lookups finding the true successor (fraction)", "higher", FRACTION, (s) => redir(s)?.correct_fraction, { short: "ReDiR lookups right" }),
  metric("redir_gets_per_lookup", "gets", "gets per ReDiR lookup", "lower", NON_NEGATIVE, (s) => redir(s)?.gets_per_lookup_mean),
  metric("redir_ops_per_round", "operations", "puts and gets per ReDiR round", "lower", NON_NEGATIVE, (s) => sumOrNull(redir(s)?.gets_per_round_mean, redir(s)?.puts_per_round_mean)),
  metric("redir_latency_mean_ms", "ms", "mean ReDiR lookup latency (ms)", "lower", NON_NEGATIVE, (s) => redir(s)?.latency_mean_ms),
];

const CATEGORY_PREFIX = "bytes_per_node_s_";

/** Bytes sent per live node per second, one metric per message category. */
export const CATEGORY_BANDWIDTH: MetricFamily = {
  pattern: `${CATEGORY_PREFIX}<category>`,
  members: (s) => Object.entries(s.bytes_per_node_s_by_category ?? {}).map(([category, v]) => ({ name: `${CATEGORY_PREFIX}${category}`, value: v.sent })),
  describe: (name) => {
    if (!name.startsWith(CATEGORY_PREFIX)) return undefined;
    const category = name.slice(CATEGORY_PREFIX.length);
    return { name, unit: "bytes/s per node", label: `${category} bandwidth sent (bytes/s per node)`, better: "lower", aggregate: "mean_t95", range: NON_NEGATIVE };
  },
};

/** How a protocol statistic's figures become metrics: a suffix per figure kept, and how each reads. */
const COUNTER_FIGURES = [["per_node_h", "per node-hour", (c: CounterSummary) => c.per_node_per_hour]] as const;
const SAMPLE_FIGURES = [
  ["mean", "mean", (x: SampleSummary) => x.mean],
  ["p50", "median", (x: SampleSummary) => x.p50],
  ["p90", "90th percentile", (x: SampleSummary) => x.p90],
  ["p99", "99th percentile", (x: SampleSummary) => x.p99],
] as const;
const PROTOCOL_STAT = /^([a-z0-9_-]+)\.([a-z][a-z0-9_]*)_(per_node_h|mean|p50|p90|p99)$/;

/**
 * A protocol's own statistics (NodeRuntime's counters and samples): `<protocol>.<counter>_per_node_h`, and
 * `<protocol>.<sample>_mean`, `_p50`, `_p90`, `_p99`. Nothing is declared per statistic: the protocol names them.
 */
export const PROTOCOL_STATS: MetricFamily = {
  pattern: "<protocol>.<counter>_per_node_h, <protocol>.<sample>_{mean,p50,p90,p99}",
  members: (s) => {
    const out: { name: string; value: number | null }[] = [];
    for (const [protocol, stats] of Object.entries(s.protocol_stats ?? {})) {
      for (const [stat, v] of Object.entries(stats)) {
        if ("total" in v) for (const [suffix, , read] of COUNTER_FIGURES) out.push({ name: `${protocol}.${stat}_${suffix}`, value: read(v) });
        else for (const [suffix, , read] of SAMPLE_FIGURES) out.push({ name: `${protocol}.${stat}_${suffix}`, value: read(v) });
      }
    }
    return out;
  },
  describe: (name) => {
    const m = PROTOCOL_STAT.exec(name);
    if (m === null) return undefined;
    const [, protocol, stat, suffix] = m;
    const what = stat.replace(/_/g, " ");
    const label = suffix === "per_node_h" ? `${protocol}: ${what} per node-hour` : `${protocol}: ${what} (${SAMPLE_FIGURES.find(([s]) => s === suffix)?.[1]})`;
    // Counters only grow; a sample is whatever the protocol measures, so it may be negative.
    const range = suffix === "per_node_h" ? NON_NEGATIVE : UNBOUNDED;
    return { name, unit: suffix === "per_node_h" ? "1/(node·h)" : "", label, better: "none", aggregate: "mean_t95", range };
  },
};

/** The families, after the declared metrics in runs.csv and summary.csv. */
export const FAMILIES: readonly MetricFamily[] = [CATEGORY_BANDWIDTH, PROTOCOL_STATS];

/** A run's value of every metric, declared ones first, then each family's members. */
export function metricValues(s: Summary): { name: string; value: number | null }[] {
  return [...METRICS.map((m) => ({ name: m.name, value: m.read(s) })), ...FAMILIES.flatMap((f) => f.members(s))];
}

/** What a metric of summary.csv is, by name; undefined for a name no declaration or family knows. */
export function describeMetric(name: string): MetricInfo | undefined {
  const declared = METRICS.find((m) => m.name === name);
  if (declared !== undefined) return declared;
  for (const family of FAMILIES) {
    const info = family.describe(name);
    if (info !== undefined) return info;
  }
  return undefined;
}
