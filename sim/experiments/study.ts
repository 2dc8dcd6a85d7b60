import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { InputError } from "../scenario/errors.js";
import { claimForResume } from "./result-marker.js";
import { prepareSweep, runSweep, type SweepResult } from "./run-sweep.js";
import { isAdmissionDocument, prepareAdmission, runAdmissionExperiment } from "./admission/study-experiment.js";

/**
 * An experiment of a study: one file of `scenarios/<study>/`, named by its file name without `.json`. Most are
 * sweep files of simulation runs; a file whose `kind` is "admission" is fssim's one-node admission tests instead
 * (sim/experiments/admission/study-experiment.ts), run by its own harness into a directory of the same shape.
 */
export interface Experiment {
  id: string;
  file: string;
  kind: ExperimentKind;
  runs: number;
}

export type ExperimentKind = "sweep" | "admission";

/** What a study file is: a sweep unless it says otherwise (a file that is not JSON is left to the sweep's reader). */
export function experimentKind(file: string): ExperimentKind {
  try {
    return isAdmissionDocument(JSON.parse(readFileSync(file, "utf8"))) ? "admission" : "sweep";
  } catch {
    return "sweep";
  }
}

const plannedRuns = (file: string, kind: ExperimentKind, quick: boolean) =>
  kind === "admission" ? prepareAdmission(file, quick).runs.length : prepareSweep(file, quick).runs.length;

/**
 * The experiments of `scenarios/<study>/` that `only` names (by name or number, e.g. "6-headline" or "6"), or all
 * of them, each planned up front: a typo in the last file should not cost an hour of runs.
 */
export function selectExperiments(study: string, only: readonly string[] | undefined, quick: boolean): Experiment[] {
  const folder = join("scenarios", study);
  const files = readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(folder, f));
  const id = (file: string) => basename(file, ".json");
  const matches = (file: string, w: string) => id(file) === w || id(file).startsWith(`${w}-`);
  for (const w of only ?? []) {
    if (!files.some((f) => matches(f, w))) throw new InputError("--only", `no experiment "${w}" in ${folder}; expected one of: ${files.map(id).join(", ")}`);
  }
  return files
    .filter((f) => only === undefined || only.some((w) => matches(f, w)))
    .map((file) => {
      const kind = experimentKind(file);
      return { id: id(file), file, kind, runs: plannedRuns(file, kind, quick) };
    });
}

export interface StudyOptions {
  out: string;
  quick: boolean;
  jobs?: number;
  /** Aborted: start no more runs, and stop those in progress, writing nothing of them. */
  signal?: AbortSignal;
  /** Called as each experiment's sweep starts, with its result as it stands (see SweepOptions.onPlanned). */
  onPlanned?: (experiment: Experiment, live: Readonly<SweepResult>) => void;
  onRunEnded: (experiment: Experiment, runId: string, outcome: "done" | "failed") => void;
  /**
   * Called when an experiment's sweep stops: `complete` once all its runs have ended (time to summarise it),
   * `skipped` the runs found finished from an earlier invocation.
   */
  onExperimentEnded: (dir: string, sweep: SweepResult) => void;
}

/**
 * Runs each experiment's sweep into `<out>/<id>/`, one after another; finished runs are kept and not redone.
 * `out` must be new, empty, or a study's directory.
 */
export async function runStudy(experiments: readonly Experiment[], options: StudyOptions): Promise<{ failed: number; stopped: number; interrupted: boolean }> {
  claimForResume(options.out, "study");
  let failed = 0;
  let stopped = 0;
  let interrupted = false;
  for (const experiment of experiments) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    const dir = join(options.out, experiment.id);
    const onPlanned = (live: Readonly<SweepResult>) => options.onPlanned?.(experiment, live);
    const result =
      experiment.kind === "admission"
        ? await runAdmissionExperiment(experiment.file, { out: dir, quick: options.quick, signal: options.signal, onPlanned, onRunEnded: (runId, outcome) => options.onRunEnded(experiment, runId, outcome) })
        : await runSweep(experiment.file, {
            out: dir,
            quick: options.quick,
            jobs: options.jobs,
            signal: options.signal,
            onPlanned,
            onRunEnded: (run, outcome) => options.onRunEnded(experiment, run.id, outcome),
          });
    failed += result.failed;
    stopped += result.stopped;
    interrupted ||= result.interrupted;
    options.onExperimentEnded(dir, result);
  }
  return { failed, stopped, interrupted };
}
