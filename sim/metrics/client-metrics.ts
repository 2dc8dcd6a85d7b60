import { join } from "node:path";
import type { ClientGroupSpec } from "../scenario/storage-spec.js";
import type { PutStatus } from "./storage-metrics.js";
import { CsvFile } from "./csv-file.js";

export const CLIENT_COLUMNS = [
  "time_s", "client", "group", "gateway", "puts", "puts_ok", "puts_again", "puts_cap", "puts_failed", "puts_timeout",
  "bytes_accepted", "space_time_accepted_byte_s", "stored_bytes", "gets", "gets_complete",
];

/** One group's figures over the statistics period (operations started after warm-up and before the end). */
export interface ClientGroupSummary {
  clients: number;
  /** Puts each client offered, per second (final outcomes: a put tried again after AGAIN counts once). */
  puts_per_client_s: number;
  /** Puts each client had accepted, per second. */
  accepted_per_client_s: number;
  put_ok_fraction: number | null;
  put_again_fraction: number | null;
  put_cap_fraction: number | null;
  /** Failed at the gateway or unanswered after every try. */
  put_lost_fraction: number | null;
  /** The group's share of all space-time accepted (bytes × TTL seconds). */
  space_time_share: number | null;
  /** Bytes of accepted, unexpired values per client, averaged over the windows closing after warm-up. */
  stored_bytes_per_client_mean: number | null;
  get_complete_fraction: number | null;
}

export interface ClientsSummary {
  clients: number;
  put_ok_fraction: number | null;
  /**
   * How far the space-time each client had accepted is from a max-min fair share of all that was accepted, given
   * what each asked (water-filling): the largest |accepted − share| / share over the clients, and Jain's index over
   * accepted / share (1: every client got its share). With no contention every share is what was asked.
   */
  max_min_deviation: number | null;
  max_min_jain: number | null;
  groups: Record<string, ClientGroupSummary>;
}

interface Counts {
  puts: number;
  ok: number;
  again: number;
  cap: number;
  failed: number;
  timeout: number;
  bytes: number;
  spaceTime: number;
  /** Space-time asked for (every put offered, accepted or not). */
  offered: number;
  gets: number;
  getsComplete: number;
}

const zero = (): Counts => ({ puts: 0, ok: 0, again: 0, cap: 0, failed: 0, timeout: 0, bytes: 0, spaceTime: 0, offered: 0, gets: 0, getsComplete: 0 });
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Per-client figures of a run with a client population: every metrics window, a row per client in clients.csv
 * (its puts by outcome, bytes and space-time accepted in the window, bytes it has stored at the window's close,
 * its gets), and per group in the summary. Fairness is judged on these: what each client asked, what it was given.
 */
export class ClientMetrics {
  private readonly csv: CsvFile;
  private readonly window: Counts[];
  private readonly stats: Counts[];
  /** Accepted, unexpired bytes per client, now. */
  private readonly stored: Float64Array;
  private readonly storedSum: Float64Array;
  private storedWindows = 0;

  constructor(
    dir: string,
    private readonly groups: readonly ClientGroupSpec[],
    /** Each client's group index. */
    private readonly groupOf: readonly number[],
    private readonly warmupMs: number,
    private readonly endMs: number,
  ) {
    this.csv = new CsvFile(join(dir, "clients.csv"), CLIENT_COLUMNS);
    this.window = groupOf.map(zero);
    this.stats = groupOf.map(zero);
    this.stored = new Float64Array(groupOf.length);
    this.storedSum = new Float64Array(groupOf.length);
  }

  private inStats(startMs: number): boolean {
    return startMs >= this.warmupMs && startMs < this.endMs;
  }

  /**
   * A put's final outcome for its client (after its tries); `bytes` and `ttlS` count only when it was accepted, and
   * as stored only when the value has not expired already (`live`).
   */
  putEnded(client: number, startMs: number, status: PutStatus, bytes: number, ttlS: number, live: boolean): void {
    const add = (c: Counts) => {
      c.puts++;
      c.offered += bytes * ttlS;
      if (status === "ok") {
        c.ok++;
        c.bytes += bytes;
        c.spaceTime += bytes * ttlS;
      } else c[status]++;
    };
    add(this.window[client]);
    if (this.inStats(startMs)) add(this.stats[client]);
    if (status === "ok" && live) this.stored[client] += bytes;
  }

  getEnded(client: number, startMs: number, complete: boolean): void {
    const add = (c: Counts) => {
      c.gets++;
      if (complete) c.getsComplete++;
    };
    add(this.window[client]);
    if (this.inStats(startMs)) add(this.stats[client]);
  }

  /** An accepted value of the client expired or was removed. */
  valueGone(client: number, bytes: number): void {
    this.stored[client] -= bytes;
  }

  /** The window closing at `nowMs`: a row per client; `gateways[i]` names client i's gateway now ("" for none). */
  windowClosed(nowMs: number, gateways: readonly string[]): void {
    const inStats = nowMs > this.warmupMs && nowMs <= this.endMs;
    if (inStats) this.storedWindows++;
    for (let i = 0; i < this.window.length; i++) {
      const c = this.window[i];
      this.csv.write([
        round3(nowMs / 1000), i, this.groups[this.groupOf[i]].name, gateways[i], c.puts, c.ok, c.again, c.cap, c.failed, c.timeout,
        c.bytes, round3(c.spaceTime), round3(this.stored[i]), c.gets, c.getsComplete,
      ]);
      this.window[i] = zero();
      if (inStats) this.storedSum[i] += this.stored[i];
    }
  }

  summary(): ClientsSummary {
    const seconds = (this.endMs - this.warmupMs) / 1000;
    const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
    const totalSpaceTime = this.stats.reduce((s, c) => s + c.spaceTime, 0);
    const groups: Record<string, ClientGroupSummary> = {};
    this.groups.forEach((g, gi) => {
      const sum = zero();
      let stored = 0;
      let n = 0;
      this.stats.forEach((c, i) => {
        if (this.groupOf[i] !== gi) return;
        n++;
        for (const k of Object.keys(sum) as (keyof Counts)[]) sum[k] += c[k];
        stored += this.storedSum[i];
      });
      groups[g.name] = {
        clients: n,
        puts_per_client_s: sum.puts / n / seconds,
        accepted_per_client_s: sum.ok / n / seconds,
        put_ok_fraction: ratio(sum.ok, sum.puts),
        put_again_fraction: ratio(sum.again, sum.puts),
        put_cap_fraction: ratio(sum.cap, sum.puts),
        put_lost_fraction: ratio(sum.failed + sum.timeout, sum.puts),
        space_time_share: ratio(sum.spaceTime, totalSpaceTime),
        stored_bytes_per_client_mean: this.storedWindows > 0 ? stored / n / this.storedWindows : null,
        get_complete_fraction: ratio(sum.getsComplete, sum.gets),
      };
    });
    const puts = this.stats.reduce((s, c) => s + c.puts, 0);
    const ok = this.stats.reduce((s, c) => s + c.ok, 0);
    const fairness = maxMinFairness(this.stats.map((c) => c.offered), this.stats.map((c) => c.spaceTime));
    return {
      clients: this.stats.length,
      put_ok_fraction: ratio(ok, puts),
      max_min_deviation: fairness?.deviation ?? null,
      max_min_jain: fairness?.jain ?? null,
      groups,
    };
  }

  close(): void {
    this.csv.close();
  }
}

/**
 * Max-min fair shares of `capacity` over clients asking `demands` (water-filling: every client below the level gets
 * what it asks, the rest share what is left equally).
 */
export function waterFill(demands: readonly number[], capacity: number): number[] {
  const order = demands.map((d, i) => i).sort((a, b) => demands[a] - demands[b]);
  const shares = new Array<number>(demands.length).fill(0);
  let left = capacity;
  order.forEach((i, k) => {
    const level = left / (order.length - k);
    shares[i] = Math.min(demands[i], level);
    left -= shares[i];
  });
  return shares;
}

/** Accepted space-time against max-min shares of the total accepted; null when nothing was asked. */
export function maxMinFairness(asked: readonly number[], accepted: readonly number[]): { deviation: number; jain: number } | null {
  const total = accepted.reduce((s, x) => s + x, 0);
  const shares = waterFill(asked, total);
  const ratios: number[] = [];
  shares.forEach((share, i) => {
    if (share > 0) ratios.push(accepted[i] / share);
  });
  if (ratios.length === 0) return null;
  const deviation = Math.max(...ratios.map((r) => Math.abs(r - 1)));
  const sum = ratios.reduce((s, r) => s + r, 0);
  const squares = ratios.reduce((s, r) => s + r * r, 0);
  return { deviation, jain: (sum * sum) / (ratios.length * squares) };
}
