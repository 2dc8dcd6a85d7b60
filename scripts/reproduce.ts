import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { summariseSweep } from "../analysis/sweep-summary.js";
import { type StudyTiming, writeUsenix04Report } from "../analysis/usenix04/report.js";
import { writeFileAtomic } from "../sim/experiments/atomic-file.js";
import { prepareSweep, runSweep } from "../sim/experiments/run-sweep.js";
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
  .option("--out <dir>", "results directory (default results/<study>, or results/<study>-quick)")
  .showHelpAfterError();
program.parse();
const opts = program.opts<{ quick: boolean; only?: string; jobs?: number; out?: string }>();
const [study] = program.args;

let stop = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (stop = true));

const started = performance.now();
try {
  if (!Object.hasOwn(STUDIES, study)) throw new InputError("<study>", `unknown study "${study}"; expected one of: ${Object.keys(STUDIES).join(", ")}`);
  const folder = join("scenarios", study);
  const files = readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(folder, f));
  const id = (file: string) => basename(file, ".json");
  const wanted = opts.only?.split(",").map((s) => s.trim());
  for (const w of wanted ?? []) {
    if (!files.some((f) => id(f) === w || id(f).startsWith(`${w}-`))) throw new InputError("--only", `no experiment "${w}" in ${folder}; expected one of: ${files.map(id).join(", ")}`);
  }
  const selected = files.filter((f) => wanted === undefined || wanted.some((w) => id(f) === w || id(f).startsWith(`${w}-`)));
  // Every sweep is checked before the first run starts: a typo in the last file should not cost an hour.
  const planned = selected.map((f) => ({ file: f, runs: prepareSweep(f, opts.quick).runs.length }));
  const out = opts.out ?? join("results", opts.quick ? `${study}-quick` : study);
  const total = planned.reduce((a, p) => a + p.runs, 0);
  process.stderr.write(`${study}${opts.quick ? " (quick)" : ""}: ${planned.length} experiments, ${total} runs, into ${out}\n`);

  let failed = 0;
  let interrupted = false;
  let done = 0;
  for (const { file } of planned) {
    if (stop) break;
    const dir = join(out, id(file));
    const result = await runSweep(file, {
      out: dir,
      quick: opts.quick,
      jobs: opts.jobs,
      shouldStop: () => stop,
      onRunEnded: (run, outcome) => {
        done++;
        process.stderr.write(`[${done}/${total}] ${outcome === "done" ? "done  " : "FAILED"} ${id(file)} ${run.id}\n`);
      },
    });
    done += result.skipped;
    failed += result.failed;
    interrupted ||= result.interrupted;
    if (result.complete) summariseSweep(dir);
  }

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
