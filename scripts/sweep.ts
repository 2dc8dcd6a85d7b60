import cliProgress from "cli-progress";
import { Command, InvalidArgumentError } from "commander";
import { reportSweep } from "../analysis/sweep-report.js";
import { runSweep, type SweepResult } from "../sim/experiments/run-sweep.js";
import { parseShard } from "../sim/experiments/sweep-plan.js";
import { type Assignment, assignments, positiveInteger, seedValue } from "./option-values.js";
import { exitOnInputError, usageErrorsExit2 } from "./exit-on-input-error.js";
import { interruptedRunsLine, watchInterrupts } from "./interrupts.js";

const program = new Command()
  .name("npm run sweep --")
  .description("Run every point of a scenario's sweep grid, in parallel, resumably, into results/<name>-sweep/")
  .argument("<scenario>", "scenario JSON file with a sweep section")
  .option("--seed <n>", "root random seed of the sweep (overrides the scenario's; each run's seed derives from it)", seedValue)
  .option("--set <path=value>", "override a value of the base scenario before the grid, e.g. nodes=200 (repeatable)", assignments, [] as Assignment[])
  .option("--jobs <n>", "parallel runs (default: one per core)", positiveInteger("--jobs"))
  .option("--shard <i/n>", "run only the i-th of n shares of the runs (i from 0), for a cluster scheduler", (v) => {
    // Checked while parsing, so a bad shard is a usage error like any other bad option value.
    try {
      parseShard(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
    return v;
  })
  .option("--out <dir>", "sweep directory (default results/<name>-sweep, plus -<hash of the sweep as run> with --seed or --set); new, empty, or this sweep's")
  .option("--retry-failed", "run again the runs recorded as failed", false)
  .option("--quick", "run the sweep's quick variant (its sweep.quick section) into results/<name>-quick-sweep/", false)
  .option("--quiet", "no progress output", false);
usageErrorsExit2(program);
program.parse();
const opts = program.opts<{ seed?: number; set: Assignment[]; jobs?: number; shard?: string; out?: string; retryFailed: boolean; quick: boolean; quiet: boolean }>();
const [file] = program.args;

let live: Readonly<SweepResult> | null = null;
let bar: cliProgress.SingleBar | null = null;
/** The one line an interrupted sweep prints: what it kept and what it removed. */
const interruptedLine = (headline: string) =>
  interruptedRunsLine(headline, live === null ? null : { finished: live.skipped + live.done + live.failed, of: live.selected, removed: live.stopped + live.running });
// The first Ctrl-C (or kill, or hangup) stops the runs in progress, removing them; a second one exits at once.
const interrupts = watchInterrupts((i) => {
  bar?.stop();
  return interruptedLine(i.headline);
});

try {
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const started = performance.now();
  let events = 0;
  const tty = process.stderr.isTTY && !opts.quiet;
  bar = tty ? new cliProgress.SingleBar({ format: "sweep [{bar}] {value}/{total} runs | {rate} events/s | ETA {eta_formatted}", stream: process.stderr, etaBuffer: 20 }, cliProgress.Presets.shades_classic) : null;
  let total = 0;
  const rate = () => Math.round(events / Math.max(1e-9, (performance.now() - started) / 1000)).toLocaleString("en-US");
  const result = await runSweep(file, {
    out: opts.out,
    overrides: { seed: opts.seed, set: opts.set },
    jobs: opts.jobs,
    shard,
    retryFailed: opts.retryFailed,
    quick: opts.quick,
    signal: interrupts.signal,
    onPlanned: (r) => (live = r),
    onEvents: (n) => {
      events += n;
      bar?.update({ rate: rate() });
    },
    onRunEnded: (run, outcome, done, todo) => {
      if (total === 0) {
        total = todo;
        bar?.start(todo, 0, { rate: rate() });
      }
      if (bar !== null) bar.update(done, { rate: rate() });
      else if (!opts.quiet || outcome === "failed") process.stderr.write(`[${done}/${todo}] ${outcome === "done" ? "done  " : "FAILED"} ${run.id} (seed ${run.seed})\n`);
    },
  });
  bar?.stop();
  bar = null;
  if (interrupts.interruption !== null) interrupts.exit(interruptedLine(interrupts.interruption.headline));
  // In full, as sim prints its results directory: a relative path depends on where the command was typed.
  const where = result.dir;
  process.stdout.write(
    `${result.done} runs done, ${result.failed} failed, ${result.skipped} already there (of ${result.selected}${shard ? ` in shard ${opts.shard}` : ""}; ${result.planned} planned) in ${where}\n`,
  );
  if (result.complete) {
    const s = await reportSweep(result.dir);
    process.stdout.write(`${s.points} grid points: ${where}/summary.csv (per run: runs.csv), ${s.figures.length} figures, ${where}/report.md and report.html\n`);
  } else if (!result.interrupted) {
    process.stdout.write(`the sweep is not complete here yet (other shards?); merge with npm run merge\n`);
  }
  if (interrupts.interruption !== null) interrupts.exit(interruptedLine(interrupts.interruption.headline));
  if (result.interrupted) {
    // Not an interruption of ours: a worker was killed on its own (a signal, out of memory) mid-run.
    process.stderr.write(`a worker process was stopped or died: ${result.stopped} runs were not finished; the same command runs them\n`);
    process.exit(1);
  }
  if (result.failed > 0) {
    process.stderr.write(`${result.failed} runs failed: see ${where}/runs/*.failed.json (error and seed of each)\n`);
    process.exit(1);
  }
} catch (e) {
  exitOnInputError(e);
  throw e;
}
