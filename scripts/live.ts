import { Command } from "commander";
import { PROTOCOLS } from "../protocols/index.js";
import { checkLiveScenario } from "../live/live-scenario.js";
import { checkRealTime, estimateRealTime } from "../live/real-time-budget.js";
import { runLive } from "../live/live-run.js";
import { defaultResultsDir } from "../sim/experiments/default-results-dir.js";
import { loadScenario } from "../sim/scenario/load-scenario.js";
import { checkProtocolOptions } from "../sim/scenario/protocol-options.js";
import { formatDuration } from "../sim/scenario/units.js";
import { RunInterrupted } from "../sim/simulation/simulation.js";
import { exitOnInputError, usageErrorsExit2 } from "./exit-on-input-error.js";
import { watchInterrupts } from "./interrupts.js";
import { type Assignment, assignments, positiveInteger, seedValue } from "./option-values.js";
import { createProgress, type Progress } from "./progress.js";
import { liveTable, summaryTable } from "./summary-table.js";

const program = new Command()
  .name("npm run live --")
  .description(
    "Run one churnsim scenario live: the same protocol code on real UDP sockets (127.0.0.1) and the real clock, " +
      "with the scenario's modelled delays; writes results/<name>-<seed>-live/ (the usual files plus wire.csv and cpu.csv)",
  )
  .argument("<scenario>", "scenario JSON file, e.g. scenarios/kazaa.json")
  .option("--seed <n>", "root random seed (overrides the scenario's)", seedValue)
  .option("--nodes <n>", "number of nodes N", positiveInteger("--nodes"))
  .option("--duration <d>", 'how long to run, e.g. "10m" (a live run takes that long)')
  .option("--set <path=value>", "override any scenario value, e.g. churn.tMed=23m (repeatable)", assignments, [] as Assignment[])
  .option("--out <dir>", "results directory (default results/<name>-<seed>-live, with a hash of the scenario as run when overridden)")
  .option("--force", "replace an existing results directory, if it is a churnsim run's", false)
  .option("--quiet", "no progress output", false);
usageErrorsExit2(program);

program.parse();
const opts = program.opts<{ seed?: number; nodes?: number; duration?: string; set: Assignment[]; out?: string; force: boolean; quiet: boolean }>();
const [file] = program.args;

let seconds: number | null = null;
let progress: Progress | null = null;
const interruptedLine = (headline: string) => `${headline}${seconds === null ? "" : ` after ${seconds.toFixed(1)} s`}; every socket closed, no results were written`;
const interrupts = watchInterrupts((i) => {
  progress?.stop();
  return interruptedLine(i.headline);
});

try {
  const scenario = loadScenario(file, { seed: opts.seed, nodes: opts.nodes, duration: opts.duration, set: opts.set }, (name, options) =>
    checkProtocolOptions(PROTOCOLS, name, options),
  );
  const protocol = PROTOCOLS[scenario.protocol.name];
  checkLiveScenario(scenario, protocol, file);
  const estimate = estimateRealTime(scenario, protocol);
  checkRealTime(estimate, scenario, file);
  const overridden = opts.nodes !== undefined || opts.duration !== undefined || opts.set.length > 0;
  const dir = opts.out ?? `${defaultResultsDir(scenario, overridden)}-live`;
  const label = `${scenario.name} seed ${scenario.seed} live`;
  process.stderr.write(
    `${label}: ${scenario.protocol.name}, ${scenario.nodes} nodes on UDP sockets at 127.0.0.1, ${formatDuration(scenario.durationMs)} of wall time, churn ${scenario.churn.process}; ` +
      `about ${Math.round(estimate.messagesPerS).toLocaleString("en-US")} messages/s, ${(estimate.coreShare * 100).toFixed(0)}% of a core by the estimate\n`,
  );
  progress = opts.quiet ? null : createProgress(label, scenario.durationMs);
  let result;
  try {
    result = await runLive(scenario, protocol, dir, {
      force: opts.force,
      // An interruption wakes a run that sleeps until its next event.
      onSession: (session) => interrupts.signal.addEventListener("abort", () => session.clock.poke(-Infinity)),
      hooks: {
        onProgress: (now, events) => {
          seconds = now / 1000;
          progress?.update(now, events);
          return interrupts.signal.aborted;
        },
      },
    });
  } finally {
    progress?.stop();
    progress = null;
  }
  process.stdout.write(`${summaryTable(result.summary, result.dir)}\n${liveTable(result.summary)}\n`);
} catch (e) {
  exitOnInputError(e);
  if (e instanceof RunInterrupted && interrupts.interruption !== null) interrupts.exit(interruptedLine(interrupts.interruption.headline));
  process.stderr.write(`\nerror: the live run failed; every socket was closed and no results were written.\n${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
