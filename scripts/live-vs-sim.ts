import { resolve } from "node:path";
import { Command } from "commander";
import { PROTOCOLS } from "../protocols/index.js";
import { checkLiveScenario } from "../live/live-scenario.js";
import { checkRealTime, estimateRealTime } from "../live/real-time-budget.js";
import { liveVsSim } from "../live/live-vs-sim.js";
import { comparisonTable, writeComparison } from "../analysis/live/comparison.js";
import { loadScenario } from "../sim/scenario/load-scenario.js";
import { checkProtocolOptions } from "../sim/scenario/protocol-options.js";
import type { Scenario } from "../sim/scenario/scenario.js";
import { formatDuration } from "../sim/scenario/units.js";
import { RunInterrupted } from "../sim/simulation/simulation.js";
import { exitOnInputError, usageErrorsExit2 } from "./exit-on-input-error.js";
import { watchInterrupts } from "./interrupts.js";
import { type Assignment, assignments, positiveInteger, seedValue } from "./option-values.js";

const program = new Command()
  .name("npm run live-vs-sim --")
  .description(
    "Run one scenario simulated and live (real UDP sockets, real clock) for several seeds and compare consistency, " +
      "latency percentiles, hops and bandwidth, with 95% intervals; writes <out>/comparison.md and comparison.csv",
  )
  .argument("<scenario>", "scenario JSON file, e.g. scenarios/kazaa.json")
  .option("--seeds <n>", "seeds to run, from the scenario's own upwards", positiveInteger("--seeds"), 3)
  .option("--seed <n>", "first seed (overrides the scenario's)", seedValue)
  .option("--nodes <n>", "number of nodes N", positiveInteger("--nodes"))
  .option("--duration <d>", 'duration of each run, e.g. "10m" (each live run takes that long)')
  .option("--set <path=value>", "override any scenario value, e.g. churn.preset=gnutella (repeatable)", assignments, [] as Assignment[])
  .option("--out <dir>", "directory for the runs and the comparison (default results/<name>-live-vs-sim); runs already there are kept")
  .option("--quiet", "no progress output", false);
usageErrorsExit2(program);

program.parse();
const opts = program.opts<{ seeds: number; seed?: number; nodes?: number; duration?: string; set: Assignment[]; out?: string; quiet: boolean }>();
const [file] = program.args;

const interrupts = watchInterrupts((i) => `${i.headline}; the runs completed so far are kept, every socket closed`);

try {
  const load = (seed?: number): Scenario =>
    loadScenario(file, { seed, nodes: opts.nodes, duration: opts.duration, set: opts.set }, (name, options) => checkProtocolOptions(PROTOCOLS, name, options));
  const first = load(opts.seed);
  const protocol = PROTOCOLS[first.protocol.name];
  checkLiveScenario(first, protocol, file);
  checkRealTime(estimateRealTime(first, protocol), first, file);
  const seeds = Array.from({ length: opts.seeds }, (_, i) => first.seed + i);
  const out = resolve(opts.out ?? `results/${first.name}-live-vs-sim`);
  const wallMinutes = (opts.seeds * first.durationMs) / 60_000;
  process.stderr.write(
    `${first.name}: ${first.protocol.name}, ${first.nodes} nodes, ${formatDuration(first.durationMs)} per run, seeds ${seeds.join(", ")}; the live runs take about ${wallMinutes.toFixed(0)} min\n`,
  );
  const pairs = await liveVsSim(protocol, out, {
    scenarioFor: (seed) => (seed === first.seed ? first : load(seed)),
    seeds,
    onRun: (kind, seed, reused) => {
      if (!opts.quiet) process.stderr.write(`  seed ${seed} ${kind}: ${reused ? "already there" : "running"}\n`);
    },
    hooks: () => ({ onProgress: () => interrupts.signal.aborted }),
  });
  const rows = writeComparison(
    out,
    { name: first.name, protocol: first.protocol.name, nodes: first.nodes, durationMs: first.durationMs, warmupMs: first.warmupMs, churn: first.churn.process },
    pairs,
  );
  process.stdout.write(`${comparisonTable(rows)}\n\n  results  ${out}\n`);
} catch (e) {
  exitOnInputError(e);
  if (e instanceof RunInterrupted && interrupts.interruption !== null) interrupts.exit(`${interrupts.interruption.headline}; the runs completed so far are kept, every socket closed`);
  process.stderr.write(`\nerror: the comparison failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
