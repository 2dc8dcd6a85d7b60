import { join } from "node:path";
import { quantileSorted } from "d3-array";
import type { Traffic } from "../network/traffic.js";
import type { Id } from "../runtime/ids.js";
import type { GetVerdict, ValueStats } from "../workload/value-oracle.js";
import type { ClientMetrics, ClientsSummary } from "./client-metrics.js";
import { CsvFile } from "./csv-file.js";

/**
 * What a run with a storage layer measures besides lookups: every put, remove and get (puts.csv, gets.csv), the
 * stored values per metrics window (columns appended to timeseries.csv), and the `storage` block of summary.json.
 * The simulation owns one only when the scenario has a `storage` section, and hands it to RunMetrics, which
 * appends its window columns and summary block; without one, every existing output is unchanged.
 *
 * Calls: `putEnded` / `getEnded` for each operation that ends (the storage workload makes them); RunMetrics calls
 * `windowClosed` when it closes a window and `summary` when it writes the summary.
 */

/** How a put ended for its client: the gateway's outcome (OpenDHT's AGAIN and CAP among them), or no answer in time. */
export type PutStatus = "ok" | "failed" | "again" | "cap" | "timeout";
export type GetStatus = GetVerdict | "timeout";

export interface PutRecord {
  startMs: number;
  endMs: number;
  source: Id;
  key: Id;
  valueHash: number;
  op: "put" | "remove";
  ttlMs: number;
  /** Bytes of the value put (0 for a remove, which carries none). */
  valueBytes: number;
  status: PutStatus;
  /** Replica acks and sends to the root, as the node reported them; null on a timeout. */
  acks: number | null;
  attempts: number | null;
}

export interface GetRecord {
  startMs: number;
  endMs: number;
  source: Id;
  key: Id;
  status: GetStatus;
  expected: number;
  returned: number;
  missing: number;
  stale: number;
  /** As the node reported them; null on a timeout. */
  replicasContacted: number | null;
  attempts: number | null;
}

export const PUT_COLUMNS = ["start_ms", "end_ms", "source", "key", "value_hash", "op", "ttl_s", "value_bytes", "status", "acks", "attempts", "latency_ms"];
export const GET_COLUMNS = [
  "start_ms", "end_ms", "source", "key", "status", "values_expected", "values_returned", "values_missing", "values_stale",
  "replicas_contacted", "attempts", "latency_ms",
];
export const STORAGE_TIMESERIES_COLUMNS = ["values_stored", "replicas_mean", "replicas_min", "stored_bytes_per_node", "values_unavailable", "values_lost"];

/** Traffic categories that move stored data between replicas (the storage layer's maintenance, not its workload). */
export const DATA_MAINTENANCE_CATEGORIES: ReadonlySet<string> = new Set(["replicate", "sync", "fetch", "handoff"]);

export interface StorageSummary {
  puts: number;
  put_ok_fraction: number | null;
  /** Of puts that ended ok. */
  put_latency_ms: { p50: number | null; p99: number | null };
  removes: number;
  remove_ok_fraction: number | null;
  gets: number;
  get_complete_fraction: number | null;
  /** Gets complete on the first send to the root. */
  get_first_try_fraction: number | null;
  /** Of gets that were answered (complete, partial or stale). */
  get_latency_ms: { p50: number | null; p99: number | null };
  gets_stale: number;
  /** Operations whose client departed before they ended. */
  ops_abandoned: number;
  /** Over the whole run, as of its end. */
  values_lost: number;
  values_lost_fraction: number | null;
  data_maintenance_bytes_per_node_s: number | null;
  /**
   * S/N: the bytes of tuples live nodes hold, per live node, averaged over the metrics windows that close after
   * warm-up (each window's figure is taken as it closes). Every copy counts, surplus ones included.
   */
  stored_bytes_per_node_mean: number | null;
  /**
   * Blake and Rodrigues' lower bound on data-maintenance bandwidth per node, 2·(S/N)/T: every node that joins
   * must download its share S/N and every node that leaves takes one away, with T the mean session time (here
   * the run's measured session_time_mean_s). Null without a session time (no churn, or too few sessions ended).
   */
  blake_rodrigues_bytes_per_node_s: number | null;
  /** Per client group, in runs with client groups only. */
  clients?: ClientsSummary;
  /** An application's block (ReDiR's `redir`), in runs with one. */
  [application: string]: unknown;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const cell = (x: number | null) => (x === null ? "" : x);

export class StorageMetrics {
  private readonly puts: CsvFile;
  private readonly gets: CsvFile;

  // Statistics period: operations started in [warm-up, duration).
  private statsPuts = 0;
  private statsPutsOk = 0;
  private statsRemoves = 0;
  private statsRemovesOk = 0;
  private statsGets = 0;
  private statsGetsComplete = 0;
  private statsGetsFirstTry = 0;
  private statsGetsStale = 0;
  private readonly putLatencies: number[] = [];
  private readonly getLatencies: number[] = [];
  opsAbandoned = 0;
  /** Per-client figures, in runs with client groups (set by the run before it starts). */
  clients: ClientMetrics | null = null;
  /** Applications on the clients (ReDiR), whose blocks the summary gains under their names. */
  readonly applications: Array<{ name: string; app: { summary(): Record<string, unknown>; close(): void } }> = [];
  /** The oracle's figures at the last window closed: the run's end, when the summary is written. */
  private lastValues: ValueStats | null = null;
  /** Stored bytes per live node of the windows closed after warm-up: their sum and count. */
  private storedBytesSum = 0;
  private storedWindows = 0;

  constructor(
    dir: string,
    private readonly traffic: Traffic,
    private readonly warmupMs: number,
    private readonly endMs: number,
  ) {
    this.puts = new CsvFile(join(dir, "puts.csv"), PUT_COLUMNS);
    this.gets = new CsvFile(join(dir, "gets.csv"), GET_COLUMNS);
  }

  private inStats(timeMs: number): boolean {
    return timeMs >= this.warmupMs && timeMs < this.endMs;
  }

  putEnded(r: PutRecord): void {
    const latency = r.endMs - r.startMs;
    this.puts.write([
      round3(r.startMs), round3(r.endMs), r.source, r.key, r.valueHash, r.op, round3(r.ttlMs / 1000), r.valueBytes, r.status,
      cell(r.acks), cell(r.attempts), round3(latency),
    ]);
    if (!this.inStats(r.startMs)) return;
    const ok = r.status === "ok";
    if (r.op === "remove") {
      this.statsRemoves++;
      if (ok) this.statsRemovesOk++;
      return;
    }
    this.statsPuts++;
    if (ok) {
      this.statsPutsOk++;
      this.putLatencies.push(latency);
    }
  }

  getEnded(r: GetRecord): void {
    const latency = r.endMs - r.startMs;
    this.gets.write([
      round3(r.startMs), round3(r.endMs), r.source, r.key, r.status, r.expected, r.returned, r.missing, r.stale,
      cell(r.replicasContacted), cell(r.attempts), round3(latency),
    ]);
    if (!this.inStats(r.startMs)) return;
    this.statsGets++;
    if (r.status === "complete") {
      this.statsGetsComplete++;
      if (r.attempts === 1) this.statsGetsFirstTry++;
    }
    if (r.status === "stale") this.statsGetsStale++;
    if (r.status !== "failed" && r.status !== "timeout") this.getLatencies.push(latency);
  }

  /**
   * The storage columns of the window closing at `nowMs` (STORAGE_TIMESERIES_COLUMNS): the oracle's figures at
   * that moment and the bytes of tuples live nodes hold, per live node (which the simulation measures).
   */
  windowClosed(nowMs: number, storedBytesPerNode: number, values: ValueStats): (number | string)[] {
    this.lastValues = values;
    if (nowMs > this.warmupMs && nowMs <= this.endMs) {
      this.storedBytesSum += storedBytesPerNode;
      this.storedWindows++;
    }
    return [
      values.valuesStored,
      values.replicasMean === null ? "" : round3(values.replicasMean),
      cell(values.replicasMin),
      round3(storedBytesPerNode),
      values.valuesUnavailable,
      values.valuesLost,
    ];
  }

  /**
   * The summary's `storage` block; `nodeSeconds` is the live-node time of the statistics period, `sessionMeanS`
   * the run's mean session time (s), for the Blake–Rodrigues bound (null when not measured).
   */
  summary(nodeSeconds: number, sessionMeanS: number | null = null): StorageSummary {
    const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
    const quantiles = (xs: number[]) => {
      const sorted = Float64Array.from(xs).sort() as unknown as number[];
      const q = (p: number) => (sorted.length > 0 ? (quantileSorted(sorted, p) as number) : null);
      return { p50: q(0.5), p99: q(0.99) };
    };
    const t = this.traffic;
    let data = 0;
    for (let c = 0; c < t.categories.length; c++) if (DATA_MAINTENANCE_CATEGORIES.has(t.categories[c])) data += t.statsSent[c];
    const values = this.lastValues;
    const storedPerNode = this.storedWindows > 0 ? this.storedBytesSum / this.storedWindows : null;
    return {
      puts: this.statsPuts,
      put_ok_fraction: ratio(this.statsPutsOk, this.statsPuts),
      put_latency_ms: quantiles(this.putLatencies),
      removes: this.statsRemoves,
      remove_ok_fraction: ratio(this.statsRemovesOk, this.statsRemoves),
      gets: this.statsGets,
      get_complete_fraction: ratio(this.statsGetsComplete, this.statsGets),
      get_first_try_fraction: ratio(this.statsGetsFirstTry, this.statsGets),
      get_latency_ms: quantiles(this.getLatencies),
      gets_stale: this.statsGetsStale,
      ops_abandoned: this.opsAbandoned,
      values_lost: values?.valuesLost ?? 0,
      values_lost_fraction: values === null ? null : ratio(values.valuesLost, values.valuesAcked),
      data_maintenance_bytes_per_node_s: ratio(data, nodeSeconds),
      stored_bytes_per_node_mean: storedPerNode,
      blake_rodrigues_bytes_per_node_s: storedPerNode === null || sessionMeanS === null || !(sessionMeanS > 0) ? null : (2 * storedPerNode) / sessionMeanS,
      ...(this.clients === null ? {} : { clients: this.clients.summary() }),
      ...Object.fromEntries(this.applications.map(({ name, app }) => [name, app.summary()])),
    };
  }

  close(): void {
    this.puts.close();
    this.gets.close();
    this.clients?.close();
    for (const { app } of this.applications) app.close();
  }
}
