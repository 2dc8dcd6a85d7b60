import { execSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSweep } from "./sweep/run-sweep.js";
import { benchWholeRun } from "./bench/whole-run-bench.js";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { benchNetwork } from "./bench/network-bench.js";
import { benchScheduler } from "./bench/scheduler-bench.js";

/**
 * `npm run bench`: the fixed benchmark suite. Prints a table and appends it, with date, commit, Node version
 * and CPU, to BENCHMARKS.md. Each figure is the median of three runs in this process.
 */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = <T>(n: number, f: () => T) => Array.from({ length: n }, f);

const scheduler = times(3, () => benchScheduler());
const network = times(3, () => benchNetwork());

/** Wall time of the bench sweep (8 runs of a few seconds) with `jobs` workers. */
async function sweepSeconds(jobs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "churnsim-bench-"));
  const started = performance.now();
  await runSweep("scenarios/sweeps/bench.json", { out: dir, jobs });
  const seconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  return seconds;
}
const wholeRun = benchWholeRun(1000, "10m");
const serialSweep = await sweepSeconds(1);
const parallelSweep = await sweepSeconds(cpus().length);

const rows: [string, string, string][] = [
  [
    `scheduler, ${scheduler[0].pending.toLocaleString("en-US")} pending`,
    `${(median(scheduler.map((r) => r.eventsPerSecond)) / 1e6).toFixed(2)} M events/s`,
    "≥ 5 M events/s",
  ],
  [
    "network delivery, 1,000 nodes, 100,000 in flight",
    `${(median(network.map((r) => r.messagesPerSecond)) / 1e6).toFixed(2)} M messages/s`,
    "—",
  ],
  [
    "Bamboo, Kazaa preset, 1,000 nodes × 10 simulated minutes",
    `${wholeRun.simMinutesPerWallSecond.toFixed(2)} simulated min per wall s (${wholeRun.seconds.toFixed(1)} s), ${(wholeRun.eventsPerSecond / 1000).toFixed(0)} k events/s, heap +${(wholeRun.heapBytesPerNode / 1024).toFixed(0)} KiB per node (garbage not yet collected included)`,
    "1 h in ≤ 60 s: ≥ 1 simulated min per wall s",
  ],
  [
    `sweep speed-up, 8 runs, ${cpus().length} workers against 1`,
    `${(serialSweep / parallelSweep).toFixed(2)}× (${serialSweep.toFixed(1)} s → ${parallelSweep.toFixed(1)} s)`,
    "≥ 1.8× on 2 cores",
  ],
];

let commit = "unknown";
try {
  commit = execSync("git rev-parse --short HEAD", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
} catch {
  // Not a git checkout: the figures are still worth recording.
}
const header = `## ${new Date().toISOString().slice(0, 10)} · commit ${commit} · Node ${process.version} · ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores)`;
const table = ["| benchmark | result | target |", "|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
process.stdout.write(`${header}\n\n${table}\n`);
if (!existsSync("BENCHMARKS.md")) {
  writeFileSync("BENCHMARKS.md", "# Benchmarks\n\nFigures recorded by `npm run bench` (medians of three runs, one core). Newest last.\n");
}
appendFileSync("BENCHMARKS.md", `\n${header}\n\n${table}\n`);
