import { mean, quantileSorted } from "d3-array";
import type { Counter, Sample } from "../runtime/node-runtime.js";

/** A counter in summary.json: events in the statistics period, and per node-hour of live time in it. */
export interface CounterSummary {
  total: number;
  per_node_per_hour: number | null;
}

/** A sample in summary.json: values recorded in the statistics period. */
export interface SampleSummary {
  n: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** summary.json's `protocol_stats`: the protocol's name, then each of its statistics by name. */
export type ProtocolStatsSummary = Record<string, Record<string, CounterSummary | SampleSummary>>;

const STAT_NAME = /^[a-z][a-z0-9_]*$/;

/** Counts from the start of the run; the statistics period is what is added between the two marks. */
class SharedCounter implements Counter {
  count = 0;
  atStart = 0;
  atEnd: number | null = null;

  add(n = 1): void {
    this.count += n;
  }
}

/** Keeps values only while measuring: a distribution has no mark to subtract. */
class SharedSample implements Sample {
  measuring = false;
  n = 0;
  values = new Float64Array(64);

  record(value: number): void {
    if (!this.measuring) return;
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.n * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = value;
  }
}

/**
 * A protocol's own statistics in one run (OverSim's RECORD_STATS): one counter or sample per name, shared by
 * every node, so a node's `add` is a field increment. Only what happens in the statistics period
 * [warm-up, duration) counts, as for every other figure of the summary.
 */
export class ProtocolStats {
  private readonly stats = new Map<string, SharedCounter | SharedSample>();
  private measuring = false;
  private stopped = false;

  constructor(private readonly protocol: string) {}

  counter(name: string): Counter {
    return this.get(name, SharedCounter, "counter");
  }

  sample(name: string): Sample {
    return this.get(name, SharedSample, "sample");
  }

  private get<T extends SharedCounter | SharedSample>(name: string, kind: new () => T, what: string): T {
    const stat = this.stats.get(name);
    if (stat instanceof kind) return stat;
    if (stat !== undefined) throw new Error(`protocol statistic "${name}" is already a ${stat instanceof SharedCounter ? "counter" : "sample"}, not a ${what}`);
    if (!STAT_NAME.test(name)) throw new Error(`protocol statistic "${name}": use lowercase letters, digits and _`);
    const made = new kind();
    // A statistic first asked for inside the period counts from then on; after it, nothing.
    if (made instanceof SharedSample) made.measuring = this.measuring;
    else if (this.stopped) made.atEnd = 0;
    this.stats.set(name, made);
    return made;
  }

  /** The statistics period begins (at the warm-up's end). */
  start(): void {
    this.measuring = true;
    for (const stat of this.stats.values()) {
      if (stat instanceof SharedCounter) stat.atStart = stat.count;
      else stat.measuring = true;
    }
  }

  /** The statistics period ends (at the run's duration; the drain after it is not counted). */
  stop(): void {
    this.measuring = false;
    this.stopped = true;
    for (const stat of this.stats.values()) {
      if (stat instanceof SharedCounter) stat.atEnd = stat.count;
      else stat.measuring = false;
    }
  }

  /** Every statistic, in the order first asked for; counters per node-hour of live time in the period. */
  summary(liveNodeHours: number): ProtocolStatsSummary {
    const out: Record<string, CounterSummary | SampleSummary> = {};
    for (const [name, stat] of this.stats) {
      if (stat instanceof SharedCounter) {
        const total = (stat.atEnd ?? stat.count) - stat.atStart;
        out[name] = { total, per_node_per_hour: liveNodeHours > 0 ? total / liveNodeHours : null };
      } else {
        out[name] = summariseSample(stat.values.subarray(0, stat.n));
      }
    }
    return { [this.protocol]: out };
  }
}

function summariseSample(values: Float64Array): SampleSummary {
  if (values.length === 0) return { n: 0, mean: null, p50: null, p90: null, p99: null };
  // Typed arrays sort numerically; d3 reads them by index.
  const sorted = Float64Array.from(values).sort() as unknown as number[];
  const q = (p: number) => quantileSorted(sorted, p) as number;
  return { n: sorted.length, mean: mean(sorted) as number, p50: q(0.5), p90: q(0.9), p99: q(0.99) };
}
