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

/**
 * One run of a sweep with OpenDHT's clients: its grid point (as runs.csv spells it), seed, replicate, and each client
 * group's figures from its summary.json (`storage.clients.groups.<name>`: put_ok_fraction, …).
 */
export interface ClientGroupRun {
  point: Record<string, string>;
  seed: number;
  replicate: number;
  groups: Record<string, Record<string, number | null>>;
}

/** A sweep of the study: its summary and per-run values, and its runs' client groups (none without clients). */
export type SweepData = Experiment & { clientGroups: ClientGroupRun[] };

/** The study's experiments by file id: a sweep's summary, an admission experiment's runs; null for one not run. */
export type StudyData = Readonly<Record<string, Experiment | SweepData | AdmissionData | null>>;

export const isAdmission = (x: Experiment | AdmissionData | null | undefined): x is AdmissionData => x != null && (x as AdmissionData).kind === ADMISSION_KIND;

/** An experiment's results in `studyDir`, whichever its kind; null when it has not run, or not finished. */
export function readStudyExperiment(studyDir: string, id: string): SweepData | AdmissionData | null {
  const dir = join(studyDir, id);
  if (!existsSync(join(dir, "sweep.json"))) return null;
  const plan = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as { kind?: string; scenario: AdmissionExperimentSpec; runs: { dir: string }[] };
  if (plan.kind !== ADMISSION_KIND) {
    const e = readExperiment(studyDir, id);
    return e === null ? null : { ...e, clientGroups: readClientGroups(dir, e.params, plan.runs as PlannedRun[]) };
  }
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

interface PlannedRun {
  id: string;
  dir: string;
  seed: number;
}

/** A grid parameter's value in a run's scenario, spelt as runs.csv spells it (objects as JSON). */
function paramValue(scenario: Record<string, unknown>, param: string): string {
  const v = param.split(".").reduce<unknown>((x, k) => (x !== null && typeof x === "object" ? (x as Record<string, unknown>)[k] : undefined), scenario);
  return typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
}

/** Each run's client groups, read from its summary.json; runs without client groups are left out. */
export function readClientGroups(dir: string, params: readonly string[], runs: readonly PlannedRun[]): ClientGroupRun[] {
  const out: ClientGroupRun[] = [];
  for (const r of runs) {
    const summary = JSON.parse(readFileSync(join(dir, "runs", r.dir, "summary.json"), "utf8")) as { storage?: { clients?: { groups?: ClientGroupRun["groups"] } } };
    const groups = summary.storage?.clients?.groups;
    if (groups === undefined) continue;
    const scenario = JSON.parse(readFileSync(join(dir, "runs", r.dir, "scenario.json"), "utf8")) as Record<string, unknown>;
    const replicate = Number(/replicate=(\d+)$/.exec(r.id)?.[1] ?? NaN);
    out.push({ point: Object.fromEntries(params.map((p) => [p, paramValue(scenario, p)])), seed: r.seed, replicate, groups });
  }
  return out;
}

/** One group's figure at the grid point `where` selects, keyed by seed; undefined when no run has it. */
export function groupValues(d: SweepData, group: string, field: string, where: (point: Record<string, string>) => boolean): Map<number, number> | undefined {
  const values = new Map<number, number>();
  for (const r of d.clientGroups) {
    const v = r.groups[group]?.[field];
    if (where(r.point) && typeof v === "number") values.set(r.seed, v);
  }
  return values.size === 0 ? undefined : values;
}

export const isSweep = (x: Experiment | SweepData | AdmissionData | null | undefined): x is SweepData => x != null && !isAdmission(x) && Array.isArray((x as SweepData).clientGroups);
