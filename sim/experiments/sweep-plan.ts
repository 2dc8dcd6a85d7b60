import { createHash } from "node:crypto";
import { InputError } from "../scenario/errors.js";

export type Point = Readonly<Record<string, unknown>>;

/** One run of a sweep: a grid point, a replicate, and the seed derived from them. */
export interface PlannedRun {
  /** Stable identity, e.g. `churn.tMed=1.4m,protocol.recovery=reactive,replicate=0`. */
  id: string;
  /** A directory name for the run: the id made safe for file systems, with a short hash against collisions. */
  dir: string;
  point: Point;
  replicate: number;
  seed: number;
}

export interface SweepSpec {
  grid: Record<string, unknown[]>;
  seeds: number;
  /** The grid parameters that are designs compared under one environment; default: those under `protocol`. */
  design?: readonly string[];
}

/** A grid parameter is a design parameter by default when it sets the protocol or one of its options. */
export const isProtocolParameter = (param: string) => param === "protocol" || param.startsWith("protocol.");

/** The sweep's design parameters, checked against its grid. */
export function designParameters(spec: SweepSpec): string[] {
  const keys = Object.keys(spec.grid);
  if (spec.design === undefined) return keys.filter(isProtocolParameter);
  spec.design.forEach((param, i) => {
    if (!keys.includes(param)) throw new InputError(`/sweep/design/${i}`, `"${param}" is not a grid parameter; expected one of: ${keys.join(", ")}`);
  });
  return [...spec.design];
}

const canonical = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** The identity of a grid point: its parameters in name order, so the order of the grid's keys does not matter. */
function pointId(point: Point): string {
  return Object.keys(point)
    .sort()
    .map((k) => `${k}=${canonical(point[k])}`)
    .join(",");
}

/**
 * A run's seed: a hash of the sweep's seed, the point's environment (its parameters outside the design) and the
 * replicate. It depends on nothing else, so adding a value to the grid, or more replicates, never changes the runs
 * already planned; and designs compared at one environment get the same seeds (common random numbers), so they
 * face the same joins, departures, lookups and latencies, and their difference is the design's alone.
 */
function deriveSeed(sweepSeed: number, environment: Point, replicate: number): number {
  const digest = createHash("sha256").update(`${sweepSeed}|${pointId(environment)}|${replicate}`).digest();
  return digest.readUInt32BE(0);
}

/** Every combination of the grid's values, times the replicates, in a fixed order (sorted by id). */
export function planSweep(spec: SweepSpec, sweepSeed: number): PlannedRun[] {
  const keys = Object.keys(spec.grid).sort();
  const design = new Set(designParameters(spec));
  const environment = (point: Point) => Object.fromEntries(Object.entries(point).filter(([k]) => !design.has(k)));
  let points: Record<string, unknown>[] = [{}];
  for (const key of keys) {
    const values = spec.grid[key];
    const seen = new Set(values.map(canonical));
    if (seen.size !== values.length) throw new InputError(`/sweep/grid/${key}`, "the same value appears twice");
    points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  }
  const runs: PlannedRun[] = [];
  for (const point of points) {
    for (let r = 0; r < spec.seeds; r++) {
      const id = `${pointId(point)},replicate=${r}`;
      const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
      const safe = id.replace(/[^A-Za-z0-9._=,-]/g, "_").slice(0, 150);
      runs.push({ id, dir: `${safe}-${hash}`, point, replicate: r, seed: deriveSeed(sweepSeed, environment(point), r) });
    }
  }
  return runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `--shard i/n` (i from 0 to n − 1): every n-th run of the plan, starting at the i-th. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new InputError("--shard", `"${text}" is not a shard; expected i/n with 0 ≤ i < n, e.g. 0/4`);
  return { index, count };
}

export function selectShard<T>(runs: readonly T[], shard: { index: number; count: number }): T[] {
  return runs.filter((_, i) => i % shard.count === shard.index);
}
