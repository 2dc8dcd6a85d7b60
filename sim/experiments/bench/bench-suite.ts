import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { runSweep } from "../run-sweep.js";
import { benchNetwork } from "./network-bench.js";
import { benchScheduler } from "./scheduler-bench.js";
import { benchWholeRun, microsPerEvent, speed, storeMemory, type WholeRun } from "./whole-run-bench.js";

/** One row of the bench's table: what was measured, the result, and its target marked met or missed. */
export type BenchRow = [string, string, string];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = <T>(n: number, f: () => T) => Array.from({ length: n }, f);
/** The run of median wall time. */
const medianRun = (runs: WholeRun[]) => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
const MiB = 2 ** 20;
const mark = (met: boolean) => (met ? "met" : "**missed**");
const kazaa = (nodes: number, duration: string, extra: { path: string; value: unknown }[] = []) =>
  benchWholeRun({ scenario: "scenarios/kazaa.json", nodes, duration, set: [{ path: "warmup", value: "3m" }, { path: "network.latency.hosts", value: Math.max(1740, nodes) }, ...extra] });
const describe = (r: WholeRun) =>
  `${r.seconds.toFixed(1)} s: ${speed(r).toFixed(2)} simulated min per wall s, ${(r.events / r.seconds / 1000).toFixed(0)} k events/s (${microsPerEvent(r).toFixed(2)} µs each), peak RSS ${(r.peakRssBytes / MiB).toFixed(0)} MiB, live heap ${(r.liveHeapBytes / r.nodes / 1024).toFixed(0)} KiB per node`;

/** Wall time of the bench sweep (8 runs of a few seconds) with `jobs` workers, and its runs' CPU time. */
async function benchSweep(jobs: number): Promise<{ seconds: number; cpuSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), "churnsim-bench-"));
  const started = performance.now(); // wall-clock ok: the bench times the simulator, not simulated time
  const { cpuSeconds } = await runSweep("scenarios/sweeps/bench.json", { out: dir, jobs });
  const seconds = (performance.now() - started) / 1000; // wall-clock ok
  rmSync(dir, { recursive: true, force: true });
  return { seconds, cpuSeconds };
}

/** The scheduler and the network alone. */
function engineRows(rows: BenchRow[], progress: (what: string) => void): void {
  progress("scheduler and network");
  const scheduler = times(3, () => benchScheduler());
  const network = times(3, () => benchNetwork());
  const schedulerRate = median(scheduler.map((r) => r.eventsPerSecond));
  rows.push([`scheduler, ${scheduler[0].pending.toLocaleString("en-US")} pending`, `${(schedulerRate / 1e6).toFixed(2)} M events/s`, `≥ 5 M events/s: ${mark(schedulerRate >= 5e6)}`]);
  rows.push(["network delivery, 1,000 nodes, 100,000 in flight", `${(median(network.map((r) => r.messagesPerSecond)) / 1e6).toFixed(2)} M messages/s`, "—"]);
}

/** Bamboo under Kazaa churn at 1,000, 10,000 and (with `full`) 100,000 nodes, and how the cost per event grows. */
function bambooRows(rows: BenchRow[], progress: (what: string) => void, full: boolean): void {
  progress("Bamboo, 1,000 nodes x 1 simulated hour (three runs)");
  // The run of median time: on a shared machine one run alone moves from one bench to the next.
  const smallRuns = times(3, () => kazaa(1000, "60m"));
  const small = medianRun(smallRuns);
  rows.push([
    "Bamboo, Kazaa preset, 1,000 nodes × 1 simulated hour (median of 3)",
    `${describe(small)} (runs ${smallRuns.map((r) => r.seconds.toFixed(1)).join(", ")} s)`,
    `≤ 60 s: ${mark(small.seconds <= 60)}`,
  ]);

  const mediumDuration = full ? "60m" : "10m";
  progress(`Bamboo, 10,000 nodes x ${mediumDuration}`);
  const medium = kazaa(10_000, mediumDuration);
  const mediumHour = 60 / speed(medium) / 60;
  rows.push([
    `Bamboo, Kazaa preset, 10,000 nodes × ${full ? "1 simulated hour" : "10 simulated minutes"}`,
    `${describe(medium)}${full ? "" : `; 1 hour at this speed: ${mediumHour.toFixed(0)} min`}`,
    `1 h in ≤ 15 min: ${mark(mediumHour <= 15)}${full ? "" : " (projected)"}`,
  ]);
  // The event queue holds a few events per node, so its logarithm grows as log N does.
  const perEventGrowth = microsPerEvent(medium) / microsPerEvent(small);
  const logGrowth = Math.log2(10_000) / Math.log2(1000);
  rows.push([
    "cost per event as N grows (1,000 → 10,000 nodes)",
    `${microsPerEvent(small).toFixed(2)} → ${microsPerEvent(medium).toFixed(2)} µs per event (×${perEventGrowth.toFixed(2)})`,
    `no worse than log N (×${logGrowth.toFixed(2)}): ${mark(perEventGrowth <= logGrowth)}`,
  ]);

  if (full) {
    progress("Bamboo, 100,000 nodes x 10 simulated minutes");
    const large = kazaa(100_000, "10m");
    rows.push(["Bamboo, Kazaa preset, 100,000 nodes × 10 simulated minutes", describe(large), `completes, peak RSS ≤ 12 GiB: ${mark(large.peakRssBytes <= 12 * 2 ** 30)}`]);
  } else {
    rows.push(["Bamboo, Kazaa preset, 100,000 nodes × 10 simulated minutes", "not run (npm run bench -- --full)", "peak RSS ≤ 12 GiB"]);
  }
}

const storageKazaa = (nodes: number, duration: string) =>
  benchWholeRun({ scenario: "scenarios/storage-kazaa.json", nodes, duration, set: [{ path: "warmup", value: "3m" }, { path: "network.latency.hosts", value: Math.max(1740, nodes) }] });

/**
 * Bamboo with its replicated store (the storage workload's defaults: 10 puts/s per 1,000 nodes, 1-hour TTLs) against
 * Bamboo alone, in alternated pairs (the machine's speed drifts between runs); memory per stored copy from the live
 * heaps' difference; with `full`, 10,000 nodes.
 */
function storageRows(rows: BenchRow[], progress: (what: string) => void, full: boolean): void {
  progress("Bamboo with and without its store, 1,000 nodes x 30 simulated minutes (two pairs)");
  const pairs = times(2, () => ({ plain: kazaa(1000, "30m"), stored: storageKazaa(1000, "30m") }));
  const ratios = pairs.map((p) => p.stored.seconds / p.plain.seconds);
  const worst = Math.max(...ratios);
  rows.push([
    "Bamboo + storage against Bamboo alone, Kazaa preset, 1,000 nodes × 30 simulated minutes (2 alternated pairs)",
    pairs.map((p, i) => `${p.stored.seconds.toFixed(1)} s against ${p.plain.seconds.toFixed(1)} s (×${ratios[i].toFixed(2)}), ${(p.stored.events / p.plain.events).toFixed(2)}× the events`).join("; "),
    `≤ ×1.5 the time: ${mark(worst <= 1.5)}`,
  ]);
  const { plain, stored } = pairs[pairs.length - 1];
  const copies = stored.storedCopies ?? 0;
  const perCopy = copies === 0 ? Infinity : (stored.liveHeapBytes - plain.liveHeapBytes) / copies;
  // The store alone (10,000 stores of 100 copies, the 10,000-node case), and all that storage adds to a run.
  const store = storeMemory(10_000, 100);
  rows.push([
    "memory per stored copy",
    `${store.toFixed(0)} bytes per copy in the tuple store (10,000 stores of 100 copies, their fixed cost included); ${perCopy.toFixed(0)} bytes of live heap per copy in the 1,000-node run over Bamboo alone's (${copies.toLocaleString("en-US")} copies: with the oracle's and the workload's bookkeeping per value, and the layer's caches)`,
    `store ≤ 100 bytes: ${mark(store <= 100)}`,
  ]);
  if (full) {
    progress("Bamboo + storage, 10,000 nodes x 10 simulated minutes");
    const large = storageKazaa(10_000, "10m");
    rows.push(["Bamboo + storage, Kazaa preset, 10,000 nodes × 10 simulated minutes", describe(large), "completes"]);
  } else {
    rows.push(["Bamboo + storage, Kazaa preset, 10,000 nodes × 10 simulated minutes", "not run (npm run bench -- --full)", "completes"]);
  }
}

/** The same 1,000 nodes at three churn rates: cost should follow the events, not grow per event. */
function churnRows(rows: BenchRow[], progress: (what: string) => void): void {
  progress("churn rate");
  const churn = ["1.4m", "5.8m", "23.3m"].map((tMed) => ({ tMed, run: kazaa(1000, "10m", [{ path: "churn.tMed", value: tMed }]) }));
  rows.push([
    "churn rate: Bamboo, 1,000 nodes × 10 min at median sessions 1.4 / 5.8 / 23.3 min",
    churn.map(({ tMed, run }) => `${tMed}: ${run.seconds.toFixed(1)} s, ${(run.events / run.simulatedSeconds / run.nodes).toFixed(1)} events per node per simulated s, ${microsPerEvent(run).toFixed(2)} µs per event`).join("; "),
    "cost grows with the events, not per event",
  ]);
}

/** Chord on p2psim's workload at 1,024 and 4,096 nodes, against p2psim's own figures. */
function chordRows(rows: BenchRow[], progress: (what: string) => void): void {
  progress("Chord, p2psim workload");
  const p2psim = benchWholeRun({ scenario: "scenarios/p2psim-chord.json" });
  const p2psimSpeed = p2psim.simulatedSeconds / p2psim.seconds;
  rows.push([
    "Chord, p2psim workload (1,024 nodes, 6 simulated hours)",
    `${p2psimSpeed.toFixed(0)} simulated s per wall s (${p2psim.seconds.toFixed(1)} s), ${(p2psim.events / 1e6).toFixed(1)} M events, ${(p2psim.events / p2psim.seconds / 1000).toFixed(0)} k events/s, peak RSS ${(p2psim.peakRssBytes / MiB).toFixed(0)} MiB (p2psim: ~1,000 simulated s per wall s, 6.2 M events, ~300 k events/s, 54 MiB)`,
    `≥ 1,000 simulated s per wall s: ${mark(p2psimSpeed >= 1000)}`,
  ]);
  // The same 6 hours at 4,096 nodes, as p2psim's own growth figure is.
  const c1 = p2psim;
  const c4 = benchWholeRun({ scenario: "scenarios/p2psim-chord.json", nodes: 4096, set: [{ path: "network.latency.hosts", value: 4096 }] });
  const nLogN = (4096 * Math.log2(4096)) / (1024 * Math.log2(1024));
  rows.push([
    "Chord, p2psim workload, 6 simulated hours: 1,024 → 4,096 nodes",
    `${c1.seconds.toFixed(1)} s → ${c4.seconds.toFixed(1)} s (×${(c4.seconds / c1.seconds).toFixed(2)}) for ×${(c4.events / c1.events).toFixed(2)} events (p2psim: ~×11 the time for ~×5 the events)`,
    `no worse than N·log N (×${nLogN.toFixed(2)}): ${mark(c4.seconds / c1.seconds <= nLogN)}`,
  ]);
}

/** A sweep's parallel speed-up, and what bounds it. */
async function sweepRows(rows: BenchRow[], progress: (what: string) => void): Promise<void> {
  progress("sweep speed-up");
  const serialSweep = await benchSweep(1);
  const parallelSweep = await benchSweep(cpus().length);
  const speedUp = serialSweep.seconds / parallelSweep.seconds;
  // What bounds the speed-up: one worker already keeps more than a core busy (V8 compiles and collects on helper
  // threads, on the core the other worker would use), and runs side by side share the last-level cache.
  const serialCores = serialSweep.cpuSeconds / serialSweep.seconds;
  rows.push([
    `sweep speed-up, 8 runs, ${cpus().length} workers against 1`,
    `${speedUp.toFixed(2)}× (${serialSweep.seconds.toFixed(1)} s → ${parallelSweep.seconds.toFixed(1)} s); one worker kept ${serialCores.toFixed(2)} cores busy (at most ${(cpus().length / serialCores).toFixed(2)}× on ${cpus().length}), side by side the runs took ×${(parallelSweep.cpuSeconds / serialSweep.cpuSeconds).toFixed(2)} the CPU time`,
    `≥ 1.8× on 2 cores: ${mark(speedUp >= 1.8)}`,
  ]);
}

/**
 * The fixed benchmark suite: engine figures and the 1,000-node hour are medians of three runs; other whole runs
 * run once each, each in a process of its own. `full` adds the long rows (10,000 nodes for a simulated hour,
 * 100,000 nodes).
 */
export async function runBenchSuite(full: boolean, progress: (what: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  engineRows(rows, progress);
  bambooRows(rows, progress, full);
  storageRows(rows, progress, full);
  churnRows(rows, progress);
  chordRows(rows, progress);
  await sweepRows(rows, progress);
  return rows;
}
