import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { summariseSweep } from "../analysis/sweep-summary.js";
import { type StudyTiming, writeUsenix04Report } from "../analysis/usenix04/report.js";
import { writeFileAtomic } from "../sim/experiments/atomic-file.js";
import { runStudy, selectExperiments } from "../sim/experiments/study.js";
import { InputError } from "../sim/scenario/errors.js";
import { exitOnInputError } from "./exit-on-input-error.js";

/** Studies with a report: the sweep files of `scenarios/<study>/` and what turns their results into one. */
const STUDIES = { usenix04: writeUsenix04Report } as const;

const program = new Command()
  .name("npm run reproduce --")
  .description("Re-run a published study: every sweep of scenarios/<study>/, then one report with figures and the paper's claims checked")
  .argument("<study>", `the study: ${Object.keys(STUDIES).join(", ")}`)
  .option("--quick", "the quick version: each sweep's sweep.quick section (fewer nodes, shorter runs, one seed)", false)
  .option("--only <experiments>", "comma-separated experiments to run, by name or number (e.g. 6-headline or 2,3); the report covers every experiment with results")
  .option("--jobs <n>", "parallel runs (default: one per core)", (v) => {
    if (!/^[1-9][0-9]*$/.test(v)) throw new InvalidArgumentError(`--jobs must be a positive integer, got "${v}"`);
    return Number(v);
  })
  .option("--out <dir>", "results directory (default results/<study>, or results/<study>-quick); new, empty, or this study's")
  .showHelpAfterError();
program.parse();
const opts = program.opts<{ quick: boolean; only?: string; jobs?: number; out?: string }>();
const [study] = program.args;

let stop = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (stop = true));

const started = performance.now();
try {
  if (!Object.hasOwn(STUDIES, study)) throw new InputError("<study>", `unknown study "${study}"; expected one of: ${Object.keys(STUDIES).join(", ")}`);
  const experiments = selectExperiments(study, opts.only?.split(",").map((s) => s.trim()), opts.quick);
  const out = opts.out ?? join("results", opts.quick ? `${study}-quick` : study);
  const total = experiments.reduce((a, e) => a + e.runs, 0);
  process.stderr.write(`${study}${opts.quick ? " (quick)" : ""}: ${experiments.length} experiments, ${total} runs, into ${out}\n`);
  let done = 0;
  const { failed, interrupted } = await runStudy(experiments, {
    out,
    quick: opts.quick,
    jobs: opts.jobs,
    shouldStop: () => stop,
    onRunEnded: (experiment, runId, outcome) => {
      done++;
      process.stderr.write(`[${done}/${total}] ${outcome === "done" ? "done  " : "FAILED"} ${experiment.id} ${runId}\n`);
    },
    onExperimentEnded: (dir, sweep) => {
      done += sweep.skipped;
      if (sweep.complete) summariseSweep(dir);
    },
  });

  const timingFile = join(out, "timing.json");
  const before: StudyTiming = existsSync(timingFile) ? JSON.parse(readFileSync(timingFile, "utf8")) : { wallSeconds: 0, invocations: 0 };
  const timing = { wallSeconds: before.wallSeconds + (performance.now() - started) / 1000, invocations: before.invocations + 1 };
  writeFileAtomic(timingFile, `${JSON.stringify(timing, null, 2)}\n`);
  const command = `npm run reproduce -- ${study}${opts.quick ? " --quick" : ""}`;
  const report = await STUDIES[study as keyof typeof STUDIES](out, { quick: opts.quick, timing, command });
  const where = relative(process.cwd(), out) || ".";
  process.stdout.write(`${where}/report.md and report.html: ${report.supported} of ${report.claims} claims supported${report.missing.length > 0 ? `; not run yet: ${report.missing.join(", ")}` : ""}\n`);
  if (interrupted) {
    process.stderr.write("interrupted: finished runs are kept; run the same command again to resume\n");
    process.exit(130);
  }
  if (failed > 0) {
    process.stderr.write(`${failed} runs failed: see ${where}/*/runs/*.failed.json (error and seed of each)\n`);
    process.exit(1);
  }
} catch (e) {
  exitOnInputError(e);
  throw e;
}
