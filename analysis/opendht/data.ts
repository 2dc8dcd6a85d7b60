import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ADMISSION_KIND, type AdmissionExperimentSpec, type AdmissionRunSummary } from "../../sim/experiments/admission/study-experiment.js";
import { isComplete } from "../../sim/experiments/study-results.js";
import { type Experiment, readExperiment } from "../usenix04/experiment-data.js";

/** An admission experiment's results: the experiment as run and every run's summary, in the plan's order. */
export interface AdmissionData {
  kind: typeof ADMISSION_KIND;
  id: string;
  spec: AdmissionExperimentSpec;
  runs: AdmissionRunSummary[];
}

/** The study's experiments by file id: a sweep's summary, an admission experiment's runs; null for one not run. */
export type StudyData = Readonly<Record<string, Experiment | AdmissionData | null>>;

export const isAdmission = (x: Experiment | AdmissionData | null | undefined): x is AdmissionData => x != null && (x as AdmissionData).kind === ADMISSION_KIND;

/** An experiment's results in `studyDir`, whichever its kind; null when it has not run, or not finished. */
export function readStudyExperiment(studyDir: string, id: string): Experiment | AdmissionData | null {
  const dir = join(studyDir, id);
  if (!existsSync(join(dir, "sweep.json"))) return null;
  const plan = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as { kind?: string; scenario: AdmissionExperimentSpec; runs: { dir: string }[] };
  if (plan.kind !== ADMISSION_KIND) return readExperiment(studyDir, id);
  if (!isComplete(dir)) return null;
  const runs = plan.runs.map((r) => JSON.parse(readFileSync(join(dir, "runs", r.dir, "summary.json"), "utf8")) as AdmissionRunSummary);
  return { kind: ADMISSION_KIND, id, spec: plan.scenario, runs };
}

/** The runs of one test under one algorithm, by replicate. */
export function runsOf(d: AdmissionData, test: number, algorithm: string): AdmissionRunSummary[] {
  return d.runs.filter((r) => r.test === test && r.algorithm === algorithm).sort((a, b) => a.replicate - b.replicate);
}

/** A statistic of each run of one test and algorithm, keyed by replicate (every algorithm's n-th replicate of a test has the same seed). */
export function perReplicate(d: AdmissionData, test: number, algorithm: string, f: (r: AdmissionRunSummary) => number): Map<number, number> | undefined {
  const runs = runsOf(d, test, algorithm);
  return runs.length === 0 ? undefined : new Map(runs.map((r) => [r.replicate, f(r)]));
}

/** The fraction of the node's space-time capacity a run accepted. */
export const acceptedFraction = (r: AdmissionRunSummary) => r.acceptedSpaceTimePerS / r.capacitySpaceTimePerS;
