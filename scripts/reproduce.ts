import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Command } from "commander";
import { summariseSweep } from "../analysis/sweep-summary.js";
import { writeStorageReport } from "../analysis/storage/report.js";
import { writeOpenDhtReport } from "../analysis/opendht/report.js";
import { ADMISSION_KIND } from "../sim/experiments/admission/study-experiment.js";
import { type StudyTiming, type StudyVerdicts, writeUsenix04Report } from "../analysis/usenix04/report.js";
import { writeFileAtomic } from "../sim/experiments/atomic-file.js";
import type { SweepResult } from "../sim/experiments/run-sweep.js";
import { codeVersion, recordProvenance } from "../sim/experiments/provenance.js";
import { claimForResume } from "../sim/experiments/result-marker.js";
import { copyStudyResults, experimentsIn, isComplete } from "../sim/experiments/study-results.js";
import { runStudy, selectExperiments } from "../sim/experiments/study.js";
import { InputError } from "../sim/scenario/errors.js";
import { positiveInteger } from "./option-values.js";
import { exitOnInputError, usageError, usageErrorsExit2 } from "./exit-on-input-error.js";
import { interruptedRunsLine, watchInterrupts } from "./interrupts.js";

/** Studies with a report: the experiment files of `scenarios/<study>/` and what turns their results into one. */
const STUDIES = { usenix04: writeUsenix04Report, storage: writeStorageReport, opendht: writeOpenDhtReport } as const;

/**
 * A finished experiment's per-point summary (summary.csv, runs.csv) for a sweep; an admission experiment's report
 * reads its runs' summaries as they are.
 */
function summarise(dir: string): void {
  const plan = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as { kind?: string };
  if (plan.kind !== ADMISSION_KIND) summariseSweep(dir);
}

const program = new Command()
  .name("npm run reproduce --")
  .description("Re-run a published study: every experiment of scenarios/<study>/ (sweep files, or OpenDHT's one-node admission tests), then one report with figures and the claims checked")
  .argument("<study>", `the study: ${Object.keys(STUDIES).join(", ")}`)
  .option("--quick", "the quick version: each sweep's sweep.quick section (fewer nodes, shorter runs, one seed), an admission experiment's quick section", false)
  .option("--only <experiments>", "comma-separated experiments to run, by name or number (e.g. 6-headline or 2,3); the report covers every experiment with results")
  .option("--jobs <n>", "parallel runs (default: one per core)", positiveInteger("--jobs"))
  .option("--quiet", "no line per finished run (failed runs are still reported)", false)
  .option("--from <dir>", "run nothing: rebuild the report from a study's results kept elsewhere (e.g. reference/usenix04: per-run summary.json and scenario.json), into --out")
  .option("--out <dir>", "results directory (default results/<study>, results/<study>-quick, or with --from results/<study>-rebuilt); new, empty, or this study's");
usageErrorsExit2(program);
program.parse();
const opts = program.opts<{ quick: boolean; only?: string; jobs?: number; quiet: boolean; from?: string; out?: string }>();
const [study] = program.args;

/** The claims' verdicts in one line; a quick run's are smoke tests, and says so. */
function verdictsLine(v: StudyVerdicts): string {
  if (v.smokeTests > 0) return `${v.smokeTests} of ${v.claims} claims smoke-tested on the quick runs (no verdicts: run without --quick for the study)`;
  return `${v.supported} of ${v.claims} claims supported, ${v.notSupported} not supported, ${v.inconclusive} inconclusive`;
}

/** Runs of the experiments before the current one: finished (or failed), and stopped by the interruption. */
const earlier = { finished: 0, removed: 0 };
let live: Readonly<SweepResult> | null = null;
let total = 0;
/** The one line an interrupted reproduction prints: what it kept and what it removed. */
const interruptedLine = (headline: string) =>
  interruptedRunsLine(headline, {
    finished: earlier.finished + (live === null ? 0 : live.skipped + live.done + live.failed),
    of: total,
    removed: earlier.removed + (live === null ? 0 : live.stopped + live.running),
  });
// The first Ctrl-C (or kill, or hangup) stops the runs in progress, removing them; a second one exits at once.
const interrupts = watchInterrupts((i) => interruptedLine(i.headline));

/** The experiments --only asks for; one it does not know is a usage error, like any bad option value. */
function only(study: string) {
  try {
    return selectExperiments(study, opts.only?.split(",").map((s) => s.trim()), opts.quick);
  } catch (e) {
    if (e instanceof InputError && e.where === "--only") usageError(program, e.message);
    throw e;
  }
}

const command = (study: string) => `npm run reproduce -- ${study}${opts.quick ? " --quick" : ""}`;

/**
 * `--from`: the report of results kept elsewhere, with no run. Their inputs are copied into --out and summarised
 * there, so the report is the one the study's own command wrote (the same command line, wall time and provenance).
 */
async function rebuild(study: string, from: string, ids: string[]): Promise<never> {
  if (opts.jobs !== undefined || opts.only !== undefined) usageError(program, "--from runs nothing: --jobs and --only do not apply");
  const out = opts.out ?? join("results", `${study}-rebuilt`);
  // --out equal to --from rebuilds in place (how a committed reference report is brought up to date).
  const inPlace = resolve(out) === resolve(from);
  experimentsIn(from, ids);
  claimForResume(out, "study");
  const found = inPlace ? experimentsIn(from, ids).filter((id) => isComplete(join(from, id))) : copyStudyResults(from, out, ids);
  const unfinished = experimentsIn(from, ids).filter((id) => !found.includes(id));
  if (unfinished.length > 0) process.stderr.write(`left out, not finished in ${from}: ${unfinished.join(", ")}\n`);
  for (const id of found) summarise(join(out, id));
  const timingFile = join(out, "timing.json");
  const timing: StudyTiming = existsSync(timingFile) ? JSON.parse(readFileSync(timingFile, "utf8")) : { wallSeconds: 0, invocations: 0 };
  const report = await STUDIES[study as keyof typeof STUDIES](out, { quick: opts.quick, timing, command: command(study) });
  process.stdout.write(`${resolve(out)}/report.md and report.html, rebuilt from ${from}: ${verdictsLine(report)}${report.missing.length > 0 ? `; not run yet: ${report.missing.join(", ")}` : ""}\n`);
  process.exit(0);
}

const started = performance.now();
try {
  if (!Object.hasOwn(STUDIES, study)) usageError(program, `<study>: unknown study "${study}"; expected one of: ${Object.keys(STUDIES).join(", ")}`);
  const experiments = only(study);
  if (opts.from !== undefined) await rebuild(study, opts.from, experiments.map((e) => e.id));
  const out = opts.out ?? join("results", opts.quick ? `${study}-quick` : study);
  total = experiments.reduce((a, e) => a + e.runs, 0);
  process.stderr.write(`${study}${opts.quick ? " (quick)" : ""}: ${experiments.length} experiments, ${total} runs, into ${out}\n`);
  let done = 0;
  // The study's wall time so far, over every invocation: saved after each experiment, so a killed one still counts.
  const timingFile = join(out, "timing.json");
  const before: StudyTiming = existsSync(timingFile) ? JSON.parse(readFileSync(timingFile, "utf8")) : { wallSeconds: 0, invocations: 0 };
  const saveTiming = (): StudyTiming => {
    const timing = { wallSeconds: before.wallSeconds + (performance.now() - started) / 1000, invocations: before.invocations + 1 };
    writeFileAtomic(timingFile, `${JSON.stringify(timing, null, 2)}\n`);
    return timing;
  };
  // Read once, before any run: the code the runs come from, not what the checkout holds when they end.
  const version = codeVersion();
  const { failed, stopped, interrupted } = await runStudy(experiments, {
    out,
    quick: opts.quick,
    jobs: opts.jobs,
    signal: interrupts.signal,
    onPlanned: (_experiment, r) => (live = r),
    onRunEnded: (experiment, runId, outcome) => {
      done++;
      if (!opts.quiet || outcome === "failed") process.stderr.write(`[${done}/${total}] ${outcome === "done" ? "done  " : "FAILED"} ${experiment.id} ${runId}\n`);
    },
    onExperimentEnded: (dir, sweep) => {
      recordProvenance(dir, sweep.done, version);
      done += sweep.skipped;
      earlier.finished += sweep.skipped + sweep.done + sweep.failed;
      earlier.removed += sweep.stopped;
      live = null;
      if (sweep.complete) summarise(dir);
      saveTiming();
    },
  });

  const timing = saveTiming();
  // Interrupted: the next invocation writes the report; this one only says what it kept.
  if (interrupts.interruption !== null) interrupts.exit(interruptedLine(interrupts.interruption.headline));
  const report = await STUDIES[study as keyof typeof STUDIES](out, { quick: opts.quick, timing, command: command(study) });
  const where = relative(process.cwd(), out) || ".";
  process.stdout.write(`${where}/report.md and report.html: ${verdictsLine(report)}${report.missing.length > 0 ? `; not run yet: ${report.missing.join(", ")}` : ""}\n`);
  if (interrupts.interruption !== null) interrupts.exit(interruptedLine(interrupts.interruption.headline));
  if (interrupted) {
    // Not an interruption of ours: a worker was killed on its own (a signal, out of memory) mid-run.
    process.stderr.write(`a worker process was stopped or died: ${stopped} runs were not finished; the same command runs them\n`);
    process.exit(1);
  }
  if (failed > 0) {
    process.stderr.write(`${failed} runs failed: see ${where}/*/runs/*.failed.json (error and seed of each)\n`);
    process.exit(1);
  }
} catch (e) {
  exitOnInputError(e);
  throw e;
}
