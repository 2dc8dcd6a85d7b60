import { join } from "node:path";
import { mean, quantileSorted } from "d3-array";
import type { Traffic } from "../network/traffic.js";
import type { Id } from "../runtime/ids.js";
import type { ValueStats } from "../workload/value-oracle.js";
import { CsvFile } from "./csv-file.js";
import { ProtocolStats, type ProtocolStatsSummary } from "./protocol-stats.js";
import { STORAGE_TIMESERIES_COLUMNS, type StorageMetrics, type StorageSummary } from "./storage-metrics.js";

export type LookupStatus = "ok" | "failed" | "timeout";

export interface LookupRecord {
  startMs: number;
  endMs: number;
  source: Id;
  key: Id;
  owner: Id | null;
  oracleOwner: Id | null;
  hops: number;
  status: LookupStatus;
  /** Consistency probe the lookup belongs to, or -1. */
  probeGroup: number;
  /** Round-trip time between the source and the owner found, when both are distinct and alive (for stretch). */
  directRttMs: number | null;
  /** Attempts the workload made (more than 1 only with p2psim's retries on). */
  attempts?: number;
}

/** Added to lookups.csv with p2psim's retries on (`workload.retry`). */
export const P2PSIM_LOOKUP_COLUMNS = ["attempts", "latency_to_owner_ms"];
export const LOOKUP_COLUMNS = ["start_ms", "end_ms", "source", "key", "owner", "oracle_owner", "hops", "latency_ms", "status", "probe_group", "consistent"];
export const BANDWIDTH_COLUMNS = ["window_start_ms", "category", "direction", "bytes_per_node_s"];
export const TIMESERIES_COLUMNS = [
  "window_start_ms", "live_nodes", "joined_nodes", "joins", "departures",
  "lookups", "lookups_ok", "mean_latency_ms", "consistent_fraction",
];

export const LOOKUP_CATEGORY = "lookup";
/** Categories that carry the workload itself (lookups, and a storage layer's puts and gets); everything else is maintenance. */
export const WORKLOAD_CATEGORIES: ReadonlySet<string> = new Set([LOOKUP_CATEGORY, "put", "get"]);

/** What the simulation measures of stored values when a window closes, with a storage layer. */
export interface StorageWindow {
  /** Bytes of the tuples live nodes hold, per live node. */
  storedBytesPerNode: number;
  /** The value oracle's `stats` at the window's end. */
  values: ValueStats;
}

/** Microsecond resolution in files: enough for any network delay, and no float noise in the CSV. */
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export interface Summary {
  lookups: number;
  failed_fraction: number | null;
  consistent_fraction: number | null;
  majority_consistent_fraction: number | null;
  probe_lookups: number;
  lookups_abandoned: number;
  latency_ms: { mean: number | null; p50: number | null; p90: number | null; p99: number | null };
  hops_mean: number | null;
  /** Lookup latency over the direct round trip from source to owner, for successful lookups to another node. */
  stretch: { mean: number | null; p50: number | null };
  maintenance_bytes_per_node_s: number | null;
  total_bytes_per_node_s: number | null;
  bytes_per_node_s_by_category: Record<string, { sent: number; received: number }>;
  session_time_median_s: number | null;
  session_time_mean_s: number | null;
  departures_per_s: number | null;
  /** The fate of every message of the run (messages and bytes): sent = delivered + dropped + lost + in flight. */
  messages: Record<
    "sent" | "delivered" | "dropped_queue" | "dropped_loss" | "dropped_partition" | "lost_to_dead_nodes" | "in_flight",
    { messages: number; bytes: number }
  >;
  events: number;
  /** The protocol's own counters and samples (see NodeRuntime.counter), under the protocol's name. */
  protocol_stats: ProtocolStatsSummary;
  /** Puts, gets and durability; only in runs with a storage layer. */
  storage?: StorageSummary;
  /** p2psim's measures beside ours; only in runs with p2psim's retried lookups (`workload.retry`). */
  p2psim?: P2psimSummary;
}

type Quantiles = { mean: number | null; p50: number | null; p90: number | null; p99: number | null };

/**
 * Lookups measured as p2psim measures them (Li et al.'s harness): a lookup is retried while its answer is wrong or
 * missing, and fails only when its last attempt, the one under way `retry_until_ms` after its start, is wrong too.
 */
export interface P2psimSummary {
  retry_every_ms: number;
  retry_until_ms: number;
  /** Lookups started in the statistics period and judged (as `lookups`). */
  lookups: number;
  /** Answered with the key's true owner in the end, retries included (no retry starts after `retry_until_ms`). */
  correct_fraction: number | null;
  failed_fraction: number | null;
  /** Attempts per lookup. */
  attempts_mean: number | null;
  /** Lookups that needed more than one attempt. */
  retried_fraction: number | null;
  /** Of the correct lookups: from the start to the correct answer's arrival at the source (ours: the reply included). */
  latency_ms: Quantiles;
  /**
   * Of the correct lookups: the same less the one-way delay from the owner to the source, i.e. until the lookup
   * reached the owner had the owner answered straight back; p2psim's latency ends when the lookup reaches the owner.
   */
  latency_to_owner_ms: Quantiles;
}

/** A latency from a lookup's start until it reached its owner: `latency` less the owner's one-way delay back. */
export function latencyToOwner(latencyMs: number, directRttMs: number | null): number {
  return latencyMs - (directRttMs ?? 0) / 2;
}

function quantiles(values: number[]): Quantiles {
  const sorted = Float64Array.from(values).sort() as unknown as number[];
  const q = (p: number) => (sorted.length > 0 ? (quantileSorted(sorted, p) as number) : null);
  return { mean: sorted.length > 0 ? (mean(sorted) as number) : null, p50: q(0.5), p90: q(0.9), p99: q(0.99) };
}

/**
 * Everything measured in one run: the per-lookup and per-window CSV files, streamed as the run goes, and the
 * accumulators of the summary, which covers the statistics period [warm-up, duration).
 */
export class RunMetrics {
  private readonly lookups: CsvFile;
  private readonly bandwidth: CsvFile;
  private readonly timeseries: CsvFile;

  // Current window.
  private windowStart = 0;
  private windowLiveIntegral = 0;
  private windowJoins = 0;
  private windowDepartures = 0;
  private windowLookups = 0;
  private windowOk = 0;
  private windowLatencySum = 0;
  private windowConsistent = 0;

  // Live-node count integrated over time, for bytes per node per second.
  private liveNodes = 0;
  private liveSince = 0;
  private statsLiveIntegral = 0;

  // Statistics period.
  private statsLookups = 0;
  private statsFailed = 0;
  private statsConsistent = 0;
  private statsHops = 0;
  private statsLatencies: number[] = [];
  private statsStretch: number[] = [];
  private readonly probeOwners = new Map<number, (Id | null)[]>();
  /** Observed sessions (ms), negative when still going at the end (right-censored). */
  private sessions: number[] = [];
  private statsDepartures = 0;
  lookupsAbandoned = 0;
  readonly protocolStats: ProtocolStats;
  // p2psim's measures, with its retries on.
  private p2psimAttempts = 0;
  private p2psimRetried = 0;
  private p2psimLatencies: number[] = [];
  private p2psimToOwner: number[] = [];

  constructor(
    dir: string,
    private readonly traffic: Traffic,
    private readonly warmupMs: number,
    private readonly endMs: number,
    protocol: string,
    /** With a storage layer: its metrics, whose columns timeseries.csv and whose block summary.json gain. */
    readonly storage: StorageMetrics | null = null,
    /** With p2psim's retried lookups (`workload.retry`): lookups.csv gains their columns, summary.json a p2psim block. */
    private readonly retry: { everyMs: number; untilMs: number } | null = null,
  ) {
    this.protocolStats = new ProtocolStats(protocol);
    this.lookups = new CsvFile(join(dir, "lookups.csv"), retry === null ? LOOKUP_COLUMNS : [...LOOKUP_COLUMNS, ...P2PSIM_LOOKUP_COLUMNS]);
    this.bandwidth = new CsvFile(join(dir, "bandwidth.csv"), BANDWIDTH_COLUMNS);
    this.timeseries = new CsvFile(join(dir, "timeseries.csv"), storage === null ? TIMESERIES_COLUMNS : [...TIMESERIES_COLUMNS, ...STORAGE_TIMESERIES_COLUMNS]);
  }

  private inStats(timeMs: number): boolean {
    return timeMs >= this.warmupMs && timeMs < this.endMs;
  }

  /** Call before the live-node count changes, with the count that held until now. */
  private integrate(now: number): void {
    const dt = now - this.liveSince;
    this.windowLiveIntegral += this.liveNodes * dt;
    const from = Math.max(this.liveSince, this.warmupMs);
    const to = Math.min(now, this.endMs);
    if (to > from) this.statsLiveIntegral += this.liveNodes * (to - from);
    this.liveSince = now;
  }

  nodeArrived(now: number): void {
    this.integrate(now);
    this.liveNodes++;
    this.windowJoins++;
  }

  /** `sessionMs` is null when the session's start was not observed under churn (the initial join phase). */
  nodeDeparted(now: number, sessionMs: number | null): void {
    this.integrate(now);
    this.liveNodes--;
    this.windowDepartures++;
    if (this.inStats(now)) this.statsDepartures++;
    if (sessionMs !== null && now < this.endMs) this.sessions.push(sessionMs);
  }

  /** A session still going when the run ends: it lasted at least `sessionMs`. */
  sessionCensored(sessionMs: number): void {
    if (sessionMs > 0) this.sessions.push(-sessionMs);
  }

  lookupEnded(r: LookupRecord): void {
    const latency = r.endMs - r.startMs;
    const consistent = r.status === "ok" && r.owner !== null && r.owner === r.oracleOwner;
    const row: (string | number)[] = [
      round3(r.startMs), round3(r.endMs), r.source, r.key, r.owner ?? "", r.oracleOwner ?? "",
      r.status === "timeout" ? "" : r.hops, round3(latency), r.status, r.probeGroup < 0 ? "" : r.probeGroup, consistent ? 1 : 0,
    ];
    if (this.retry !== null) this.p2psimLookupEnded(r, row, latency, consistent);
    this.lookups.write(row);
    this.windowLookups++;
    if (r.status === "ok") {
      this.windowOk++;
      this.windowLatencySum += latency;
    }
    if (consistent) this.windowConsistent++;
    if (!this.inStats(r.startMs)) return;
    this.statsLookups++;
    if (r.status !== "ok") this.statsFailed++;
    else {
      this.statsLatencies.push(latency);
      this.statsHops += r.hops;
      if (r.directRttMs !== null && r.directRttMs > 0) this.statsStretch.push(latency / r.directRttMs);
    }
    if (consistent) this.statsConsistent++;
    if (r.probeGroup >= 0) {
      let owners = this.probeOwners.get(r.probeGroup);
      if (owners === undefined) this.probeOwners.set(r.probeGroup, (owners = []));
      owners.push(r.status === "ok" ? r.owner : null);
    }
  }

  /** With retries on: the row's extra columns, and p2psim's measures of a lookup started in the statistics period. */
  private p2psimLookupEnded(r: LookupRecord, row: (string | number)[], latency: number, consistent: boolean): void {
    const attempts = r.attempts ?? 1;
    const toOwner = consistent ? latencyToOwner(latency, r.directRttMs) : null;
    row.push(attempts, toOwner === null ? "" : round3(toOwner));
    if (!this.inStats(r.startMs)) return;
    this.p2psimAttempts += attempts;
    if (attempts > 1) this.p2psimRetried++;
    if (toOwner === null) return;
    this.p2psimLatencies.push(latency);
    this.p2psimToOwner.push(toOwner);
  }

  /**
   * Writes the window [windowStart, now) to timeseries.csv and bandwidth.csv and opens the next one. With a storage
   * layer, `storage` (required then) gives the stored values' figures at `now`.
   */
  closeWindow(now: number, joinedNodes: number, storage?: StorageWindow): void {
    this.integrate(now);
    const widthMs = now - this.windowStart;
    if (widthMs <= 0) return;
    const liveAverage = this.windowLiveIntegral / widthMs;
    const row: (string | number)[] = [
      round3(this.windowStart), round3(liveAverage), joinedNodes, this.windowJoins, this.windowDepartures,
      this.windowLookups, this.windowOk,
      this.windowOk > 0 ? round3(this.windowLatencySum / this.windowOk) : "",
      this.windowLookups > 0 ? round3(this.windowConsistent / this.windowLookups) : "",
    ];
    if (this.storage !== null) {
      if (storage === undefined) throw new Error("closeWindow: a run with a storage layer must give the window's stored values");
      row.push(...this.storage.windowClosed(now, storage.storedBytesPerNode, storage.values));
    }
    this.timeseries.write(row);
    const nodeSeconds = this.windowLiveIntegral / 1000;
    const t = this.traffic;
    for (let c = 0; c < t.categories.length; c++) {
      for (const [direction, bytes] of [["sent", t.windowSent[c]], ["received", t.windowReceived[c]]] as const) {
        this.bandwidth.write([round3(this.windowStart), t.categories[c], direction, nodeSeconds > 0 ? round3(bytes / nodeSeconds) : 0]);
      }
    }
    t.resetWindow();
    this.windowStart = now;
    this.windowLiveIntegral = 0;
    this.windowJoins = this.windowDepartures = this.windowLookups = this.windowOk = this.windowConsistent = 0;
    this.windowLatencySum = 0;
  }

  close(): void {
    this.lookups.close();
    this.bandwidth.close();
    this.timeseries.close();
    this.storage?.close();
  }

  summary(events: number): Summary {
    const t = this.traffic;
    const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
    // Typed arrays sort numerically; d3's quantileSorted reads them by index.
    const latencies = Float64Array.from(this.statsLatencies).sort() as unknown as number[];
    const q = (p: number) => (latencies.length > 0 ? (quantileSorted(latencies, p) as number) : null);
    const stretch = Float64Array.from(this.statsStretch).sort() as unknown as number[];
    const nodeSeconds = this.statsLiveIntegral / 1000;
    const byCategory: Summary["bytes_per_node_s_by_category"] = {};
    let total = 0;
    let maintenance = 0;
    for (let c = 0; c < t.categories.length; c++) {
      byCategory[t.categories[c]] = {
        sent: nodeSeconds > 0 ? t.statsSent[c] / nodeSeconds : 0,
        received: nodeSeconds > 0 ? t.statsReceived[c] / nodeSeconds : 0,
      };
      total += t.statsSent[c];
      if (!WORKLOAD_CATEGORIES.has(t.categories[c])) maintenance += t.statsSent[c];
    }
    let probeLookups = 0;
    let agreeing = 0;
    for (const owners of this.probeOwners.values()) {
      probeLookups += owners.length;
      agreeing += majorityAgreement(owners);
    }
    const sessions = kaplanMeier(this.sessions);
    const statsSeconds = (this.endMs - this.warmupMs) / 1000;
    const summary: Summary = {
      lookups: this.statsLookups,
      failed_fraction: ratio(this.statsFailed, this.statsLookups),
      consistent_fraction: ratio(this.statsConsistent, this.statsLookups),
      majority_consistent_fraction: ratio(agreeing, probeLookups),
      probe_lookups: probeLookups,
      lookups_abandoned: this.lookupsAbandoned,
      latency_ms: { mean: latencies.length > 0 ? (mean(latencies) as number) : null, p50: q(0.5), p90: q(0.9), p99: q(0.99) },
      hops_mean: ratio(this.statsHops, latencies.length),
      stretch: {
        mean: stretch.length > 0 ? (mean(stretch) as number) : null,
        p50: stretch.length > 0 ? (quantileSorted(stretch, 0.5) as number) : null,
      },
      maintenance_bytes_per_node_s: ratio(maintenance, nodeSeconds),
      total_bytes_per_node_s: ratio(total, nodeSeconds),
      bytes_per_node_s_by_category: byCategory,
      session_time_median_s: sessions.median === null ? null : sessions.median / 1000,
      session_time_mean_s: sessions.mean === null ? null : sessions.mean / 1000,
      departures_per_s: ratio(this.statsDepartures, statsSeconds),
      messages: {
        sent: t.sent.toJSON(),
        delivered: t.delivered.toJSON(),
        dropped_queue: t.droppedQueue.toJSON(),
        dropped_loss: t.droppedLoss.toJSON(),
        dropped_partition: t.droppedPartition.toJSON(),
        lost_to_dead_nodes: t.lostToDeadNodes.toJSON(),
        in_flight: t.inFlight.toJSON(),
      },
      events,
      protocol_stats: this.protocolStats.summary(this.statsLiveIntegral / 3_600_000),
    };
    // Added only with a storage layer, so the summaries of other runs stay as they were, byte for byte.
    if (this.storage !== null) summary.storage = this.storage.summary(nodeSeconds, summary.session_time_mean_s);
    if (this.retry !== null) {
      const correct = this.p2psimLatencies.length;
      summary.p2psim = {
        retry_every_ms: this.retry.everyMs,
        retry_until_ms: this.retry.untilMs,
        lookups: this.statsLookups,
        correct_fraction: ratio(correct, this.statsLookups),
        failed_fraction: ratio(this.statsLookups - correct, this.statsLookups),
        attempts_mean: ratio(this.p2psimAttempts, this.statsLookups),
        retried_fraction: ratio(this.p2psimRetried, this.statsLookups),
        latency_ms: quantiles(this.p2psimLatencies),
        latency_to_owner_ms: quantiles(this.p2psimToOwner),
      };
    }
    return summary;
  }
}

/**
 * How many lookups of one probe group agree with the group's majority: the owner returned by more than half of
 * the group (failed lookups count as disagreeing). Without such a majority, none of the group is consistent.
 */
export function majorityAgreement(owners: readonly (Id | null)[]): number {
  const counts = new Map<Id, number>();
  let best = 0;
  for (const owner of owners) {
    if (owner === null) continue;
    const c = (counts.get(owner) ?? 0) + 1;
    counts.set(owner, c);
    if (c > best) best = c;
  }
  return best * 2 > owners.length ? best : 0;
}

/**
 * Kaplan–Meier estimate of the session-time distribution from completed sessions (positive) and sessions still
 * going at the end of the run (negative: right-censored). Counting only completed sessions would drop the long
 * ones a finite run cannot see end, biasing heavy-tailed sessions short. Returns the median and the mean
 * restricted to the longest observation (null while fewer than half the sessions have been seen to end).
 */
export function kaplanMeier(observations: readonly number[]): { median: number | null; mean: number | null } {
  const obs = observations.map((x) => ({ t: Math.abs(x), ended: x > 0 })).sort((a, b) => a.t - b.t || Number(b.ended) - Number(a.ended));
  let atRisk = obs.length;
  let survival = 1;
  let median: number | null = null;
  let area = 0;
  let last = 0;
  let i = 0;
  while (i < obs.length) {
    const t = obs[i].t;
    let ended = 0;
    let leaving = 0;
    while (i < obs.length && obs[i].t === t) {
      if (obs[i].ended) ended++;
      leaving++;
      i++;
    }
    area += survival * (t - last);
    last = t;
    if (ended > 0) {
      survival *= 1 - ended / atRisk;
      if (median === null && survival <= 0.5) median = t;
    }
    atRisk -= leaving;
  }
  // Without the curve reaching one half, the longest sessions are too unseen for a mean to mean anything.
  return { median, mean: median === null ? null : area };
}
