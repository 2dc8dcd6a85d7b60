import { spawn } from "node:child_process";
import { constants as osConstants, totalmem } from "node:os";
import { Command } from "commander";
import { PROTOCOLS } from "../protocols/index.js";
import { InvariantViolation } from "../sim/engine/invariants.js";
import { largerHeapMiB, refuseIfTooLarge } from "../sim/experiments/memory-estimate.js";
import { defaultResultsDir } from "../sim/experiments/default-results-dir.js";
import { runToDirectory } from "../sim/experiments/run-directory.js";
import { loadScenario } from "../sim/scenario/load-scenario.js";
import { checkProtocolOptions } from "../sim/scenario/protocol-options.js";
import { formatDuration } from "../sim/scenario/units.js";
import { RunInterrupted } from "../sim/simulation/simulation.js";
import { exitOnInputError, usageErrorsExit2 } from "./exit-on-input-error.js";
import { watchInterrupts } from "./interrupts.js";
import { type Assignment, assignments, positiveInteger, seedValue } from "./option-values.js";
import { createProgress, type Progress } from "./progress.js";
import { replayCommand } from "./replay.js";
import { summaryTable } from "./summary-table.js";

const program = new Command()
  .name("npm run sim --")
  .description("Run one churnsim scenario and write results/<name>-<seed>/ (with a hash of the overrides when there are any)")
  .argument("<scenario>", "scenario JSON file, e.g. scenarios/kazaa.json")
  .option("--seed <n>", "root random seed (overrides the scenario's)", seedValue)
  .option("--nodes <n>", "number of nodes N", positiveInteger("--nodes"))
  .option("--duration <d>", 'simulated duration, e.g. "30m"')
  .option("--set <path=value>", "override any scenario value, e.g. churn.tMed=23m (repeatable)", assignments, [] as Assignment[])
  .option("--out <dir>", "results directory (default results/<name>-<seed>, plus -<hash of the scenario as run> when overridden)")
  .option("--force", "replace an existing results directory, if it is a churnsim run's", false)
  .option("--check", "check invariants while running (time order, cancelled timers, byte conservation, dead nodes, lookups)", false)
  .option("--quiet", "no progress output", false);
usageErrorsExit2(program);

program.parse();
const opts = program.opts<{ seed?: number; nodes?: number; duration?: string; set: Assignment[]; out?: string; force: boolean; check: boolean; quiet: boolean }>();
const [file] = program.args;

let seed: number | undefined;
let simulatedMs: number | null = null;
let progress: Progress | null = null;
/** The one line an interrupted run prints: nothing is kept of it (the temporary directory is removed). */
const interruptedLine = (headline: string) =>
  `${headline}${simulatedMs === null ? "" : ` at simulated time ${(simulatedMs / 1000).toFixed(1)} s`}; no results were written`;
// Ctrl-C, a polite kill or a hangup stops the run at the next chunk of events; a second one exits at once.
const interrupts = watchInterrupts((i) => {
  progress?.stop();
  return interruptedLine(i.headline);
});

try {
  const scenario = loadScenario(file, { seed: opts.seed, nodes: opts.nodes, duration: opts.duration, set: opts.set }, (name, options) =>
    checkProtocolOptions(PROTOCOLS, name, options),
  );
  seed = scenario.seed;
  const usable = totalmem() * 0.8;
  const estimate = refuseIfTooLarge(scenario, PROTOCOLS[scenario.protocol.name], usable, file);
  const megabytes = largerHeapMiB(estimate, usable);
  if (megabytes !== null) {
    // The machine has the memory but V8's default heap limit is lower: run again with a larger one.
    process.stderr.write(`${scenario.nodes} nodes need about ${(estimate / 2 ** 30).toFixed(1)} GiB: restarting with a ${megabytes} MiB heap\n`);
    // Not spawnSync: this process must stay responsive to pass interruptions on (npm signals only us).
    const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${megabytes}`, ...process.argv.slice(1)], { stdio: "inherit" });
    interrupts.relayTo(child);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
    process.exit(code ?? (signal === null ? 1 : 128 + osConstants.signals[signal]));
  }
  const overridden = opts.nodes !== undefined || opts.duration !== undefined || opts.set.length > 0;
  const dir = opts.out ?? defaultResultsDir(scenario, overridden);
  const label = `${scenario.name} seed ${scenario.seed}`;
  process.stderr.write(
    `${label}: ${scenario.protocol.name}, ${scenario.nodes} nodes, ${formatDuration(scenario.durationMs)} simulated, churn ${scenario.churn.process}\n`,
  );
  progress = opts.quiet ? null : createProgress(label, scenario.durationMs);
  let result;
  try {
    result = await runToDirectory(scenario, PROTOCOLS[scenario.protocol.name], dir, {
      force: opts.force,
      check: opts.check,
      hooks: {
        onProgress: (now, events) => {
          simulatedMs = now;
          progress?.update(now, events);
          return interrupts.signal.aborted;
        },
      },
    });
  } finally {
    progress?.stop();
    progress = null;
  }
  process.stdout.write(`${summaryTable(result.summary, result.dir)}\n`);
} catch (e) {
  exitOnInputError(e);
  if (e instanceof RunInterrupted && interrupts.interruption !== null) {
    simulatedMs = e.simulatedMs;
    interrupts.exit(interruptedLine(interrupts.interruption.headline));
  }
  // A failed run: say how to replay it, seed included; no results were written.
  process.stderr.write(`\nerror: the run failed (seed ${seed ?? "unknown"}); no results were written.\n`);
  process.stderr.write(`${e instanceof InvariantViolation ? e.message : ((e as Error).stack ?? String(e))}\n`);
  process.stderr.write(`replay: ${replayCommand(process.argv.slice(2), seed)}\n`);
  process.exit(1);
}
