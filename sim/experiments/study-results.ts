import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../scenario/errors.js";

/**
 * The files a study's report is made from, and all that a study's reference results keep: per experiment the plan
 * (`sweep.json`), where its runs came from (`provenance.json`), and each run's `scenario.json` and `summary.json`;
 * for the study its wall time (`timing.json`). The per-run CSV files are left behind: they are large and the
 * report does not read them.
 */
const EXPERIMENT_FILES = ["sweep.json", "provenance.json"];
const RUN_FILES = ["scenario.json", "summary.json"];

/** The experiments among `ids` that the study directory `from` holds; an error when it holds none. */
export function experimentsIn(from: string, ids: readonly string[]): string[] {
  if (!existsSync(from)) throw new InputError("--from", `${from} does not exist; expected a study's results directory (e.g. reference/usenix04)`);
  const found = ids.filter((id) => existsSync(join(from, id, "sweep.json")));
  if (found.length === 0) throw new InputError("--from", `${from} holds no experiment of this study (no <experiment>/sweep.json for any of ${ids.join(", ")})`);
  return found;
}

/** Whether every run an experiment planned has finished: a report from part of an experiment would mislead. */
export function isComplete(dir: string): boolean {
  const plan = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as { runs: { dir: string }[] };
  return plan.runs.every((run) => existsSync(join(dir, "runs", run.dir, "summary.json")));
}

/**
 * Copies the report's inputs of the experiments `ids` from the study directory `from` into `to`; returns the
 * experiments copied. An experiment `from` lacks, or has not finished, is skipped (its section reads "not run yet").
 */
export function copyStudyResults(from: string, to: string, ids: readonly string[]): string[] {
  const found = experimentsIn(from, ids).filter((id) => isComplete(join(from, id)));
  const copy = (src: string, dst: string) => {
    if (existsSync(src)) copyFileSync(src, dst);
  };
  copy(join(from, "timing.json"), join(to, "timing.json"));
  for (const id of found) {
    mkdirSync(join(to, id, "runs"), { recursive: true });
    for (const f of EXPERIMENT_FILES) copy(join(from, id, f), join(to, id, f));
    const runs = join(from, id, "runs");
    if (!existsSync(runs)) continue;
    for (const run of readdirSync(runs, { withFileTypes: true })) {
      if (!run.isDirectory() || !existsSync(join(runs, run.name, "summary.json"))) continue;
      mkdirSync(join(to, id, "runs", run.name), { recursive: true });
      for (const f of RUN_FILES) copy(join(runs, run.name, f), join(to, id, "runs", run.name, f));
    }
  }
  return found;
}
