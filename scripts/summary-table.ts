import type { Summary } from "../sim/metrics/metrics.js";
import { describeMetric, PROTOCOL_STATS } from "../sim/metrics/registry.js";

const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, digits = 0) => (x === null ? "–" : x.toFixed(digits));

/** The short table printed at the end of a run; summary.json has every figure. */
export function summaryTable(s: Summary & { wall_s: number }, dir: string): string {
  const rows: [string, string][] = [
    ["lookups", `${s.lookups} after warm-up, ${pct(s.failed_fraction)} failed or timed out`],
    ["consistent", `${pct(s.consistent_fraction)} with the true owner, ${pct(s.majority_consistent_fraction)} with the probe majority`],
    ["latency (ms)", `mean ${num(s.latency_ms.mean)}, p50 ${num(s.latency_ms.p50)}, p90 ${num(s.latency_ms.p90)}, p99 ${num(s.latency_ms.p99)}; ${num(s.hops_mean, 2)} hops, stretch ${num(s.stretch.p50, 2)} (median)`],
    ["bytes/s/node", `maintenance ${num(s.maintenance_bytes_per_node_s)}, total ${num(s.total_bytes_per_node_s)} (sent)`],
    ["sessions", `median ${num(s.session_time_median_s)} s, mean ${num(s.session_time_mean_s)} s, ${num(s.departures_per_s, 2)} departures/s`],
    ...protocolStatsRows(s),
    ["run", `${s.events.toLocaleString("en-US")} events in ${s.wall_s.toFixed(1)} s (${Math.round(s.events / Math.max(s.wall_s, 1e-9)).toLocaleString("en-US")} events/s)`],
    ["results", dir],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n");
}

/** A row per protocol with statistics of its own, labelled by the registry ("12.3 suspicions per node-hour"). */
function protocolStatsRows(s: Summary): [string, string][] {
  return Object.keys(s.protocol_stats)
    .map((protocol): [string, string] => {
      const figures = PROTOCOL_STATS.members({ ...s, protocol_stats: { [protocol]: s.protocol_stats[protocol] } });
      const prefix = `${protocol}: `;
      return [protocol, figures.map((f) => `${num(f.value, 1)} ${(describeMetric(f.name)?.label ?? f.name).replace(prefix, "")}`).join(", ")];
    })
    .filter(([, text]) => text !== "");
}

/** The rows only a live run has (its summary's live_* figures). */
export function liveTable(summary: object): string {
  const n = (key: string, digits = 1) => {
    const v = (summary as Record<string, unknown>)[key];
    return typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "–";
  };
  const rows: [string, string][] = [
    ["live CPU", `process ${n("live_process_cpu_s")} s (${n("live_process_cpu_share", 2)} of a core); per node ${n("live_node_cpu_ms_per_s_mean", 2)} ms/s mean, ${n("live_node_cpu_ms_per_s_p99", 2)} p99`],
    ["event loop lag", `p50 ${n("live_loop_lag_ms_p50", 2)} ms, p99 ${n("live_loop_lag_ms_p99", 2)} ms, max ${n("live_loop_lag_ms_max", 2)} ms`],
    ["datagrams", `${n("live_datagrams_sent", 0)} sent, ${n("live_datagrams_received", 0)} received, ${n("live_datagrams_unreceived", 0)} not received (lost, or on their way at the end)`],
    ["wire bytes", `${n("live_wire_encoded_bytes", 0)} encoded against ${n("live_wire_declared_bytes", 0)} declared (wire.csv per message type)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n");
}
