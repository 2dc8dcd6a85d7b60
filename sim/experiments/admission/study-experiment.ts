import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { ALGORITHM_NAMES, type AlgorithmName, isAlgorithmName } from "../../../service/admission/admission-control.js";
import { InputError } from "../../scenario/errors.js";
import { parseJsonText } from "../../scenario/json-text.js";
import { formatDuration, parseDuration } from "../../scenario/units.js";
import { writeFileAtomic } from "../atomic-file.js";
import { removeStaleTemporaries } from "../leftovers.js";
import { claimForResume } from "../result-marker.js";
import { startedSweep, type SweepResult } from "../run-sweep.js";
import { temporaryDirectory } from "../run-directory.js";
import { type ClientRow, runSingleNode } from "./single-node.js";
import { TESTS, testSetup } from "./test-setups.js";

/**
 * An experiment of a study that is not a sweep of simulation runs but fssim's one-node admission tests: a file of
 * `scenarios/<study>/` whose `kind` is "admission" names the tests, the algorithms, the run length and the seeds.
 * Its results take a sweep's shape (`sweep.json` with the plan, `runs/<run>/scenario.json` and `summary.json`), so
 * resuming, `--from` rebuilds and the reference copies treat it as they treat a sweep.
 */
export const ADMISSION_KIND = "admission";

export interface AdmissionExperimentSpec {
  kind: typeof ADMISSION_KIND;
  name: string;
  description: string;
  /** Where each setting comes from, by setting name. */
  sources: Record<string, string>;
  /** The experiment's seed: each run's seed derives from it, the test and the replicate. */
  seed: number;
  tests: number[];
  algorithms: AlgorithmName[];
  /** Simulated time of each run; absent: each test's own length (fssim's 5 h; 16 h for test 2). */
  duration?: string;
  /** Replicates per test and algorithm. */
  seeds: number;
  /** How often the per-client series kept for the figures is sampled. */
  sampleEvery: string;
  quick?: { duration?: string; seeds?: number; tests?: number[]; algorithms?: AlgorithmName[] };
}

/** One run of the experiment: a test under one algorithm, one replicate. */
export interface AdmissionRun {
  id: string;
  dir: string;
  test: number;
  algorithm: AlgorithmName;
  replicate: number;
  seed: number;
  durationS: number;
}

/** What one run keeps: the harness's verdict on the measured window, per client, and a thinned series per group. */
export interface AdmissionRunSummary {
  test: number;
  algorithm: AlgorithmName;
  seed: number;
  replicate: number;
  durationS: number;
  measureFromS: number;
  capacitySpaceTimePerS: number;
  acceptedSpaceTimePerS: number;
  jain: number;
  maxDeviation: number;
  meanDeviation: number;
  maxDeviationOfAccepted: number;
  clients: {
    client: string;
    group: string;
    sizeBytes: number;
    ttlS: number;
    demandSpaceTimePerS: number;
    acceptedPutsPerS: number;
    acceptedSpaceTimePerS: number;
    target: number;
    deviation: number;
  }[];
  /** Per client group and sample time: the mean bytes a member of the group has stored. */
  series: { group: string; members: number; time_s: number[]; stored_bytes: number[] }[];
  /** Wall time of the run on the machine that ran it (not part of its result: it differs from run to run). */
  wall_s: number;
}

/** A client's group: its name without the member number fssim's groups of like clients carry ("1/100s-07"). */
export const clientGroup = (client: string) => client.replace(/-\d+$/, "");

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Whether a parsed file of a study's folder is an admission experiment rather than a sweep. */
export function isAdmissionDocument(document: unknown): boolean {
  return isObject(document) && document.kind === ADMISSION_KIND;
}

const KEYS = ["$comment", "kind", "name", "description", "sources", "seed", "tests", "algorithms", "duration", "seeds", "sampleEvery", "quick"];
const QUICK_KEYS = ["duration", "seeds", "tests", "algorithms"];

/** Reads and checks an admission experiment file; every mistake names the field and what was expected. */
export function readAdmissionSpec(file: string): AdmissionExperimentSpec {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(file, `cannot read the experiment (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return checkAdmissionSpec(parseJsonText(text, file), file);
}

export function checkAdmissionSpec(document: unknown, file: string): AdmissionExperimentSpec {
  const fail = (path: string, message: string): never => {
    throw new InputError(`${file}: ${path}`, message);
  };
  if (!isObject(document)) return fail("/", "expected a JSON object");
  const d = document;
  for (const k of Object.keys(d)) if (!KEYS.includes(k)) fail(`/${k}`, `unknown key; expected one of: ${KEYS.filter((x) => x !== "$comment").join(", ")}`);
  if (d.kind !== ADMISSION_KIND) fail("/kind", `expected "${ADMISSION_KIND}"`);
  for (const k of ["name", "description"]) if (typeof d[k] !== "string" || d[k] === "") fail(`/${k}`, "expected a non-empty string");
  if (!isObject(d.sources) || !Object.values(d.sources).every((v) => typeof v === "string")) fail("/sources", "expected an object of strings (setting → where it comes from)");
  if (!Number.isInteger(d.seed) || (d.seed as number) < 0 || (d.seed as number) > 0xffffffff) fail("/seed", "expected an integer from 0 to 4294967295");
  const seeds = (x: unknown, path: string) => {
    if (!Number.isInteger(x) || (x as number) < 1 || (x as number) > 1000) fail(path, `expected an integer from 1 to 1000, got ${JSON.stringify(x)}`);
    return x as number;
  };
  const duration = (x: unknown, path: string) => {
    if (typeof x !== "string") return fail(path, `expected a duration such as "5h", got ${JSON.stringify(x)}`);
    let ms: number;
    try {
      ms = parseDuration(x);
    } catch (e) {
      return fail(path, (e as Error).message);
    }
    if (!(ms >= 60_000)) fail(path, `expected a duration of at least 1m, got "${x}"`);
    return x;
  };
  const testIds = TESTS.map((t) => t.id);
  const tests = (x: unknown, path: string) => {
    if (!Array.isArray(x) || x.length === 0) return fail(path, `expected a non-empty array of fssim's tests (${testIds.join(", ")})`);
    x.forEach((t, i) => {
      if (!testIds.includes(t as number)) fail(`${path}/${i}`, `expected one of fssim's tests ${testIds.join(", ")}, got ${JSON.stringify(t)}`);
    });
    if (new Set(x).size !== x.length) fail(path, "a test appears twice");
    return x as number[];
  };
  const algorithms = (x: unknown, path: string) => {
    if (!Array.isArray(x) || x.length === 0) return fail(path, `expected a non-empty array of algorithms (${ALGORITHM_NAMES.join(", ")})`);
    x.forEach((a, i) => {
      if (typeof a !== "string" || !isAlgorithmName(a)) fail(`${path}/${i}`, `expected one of ${ALGORITHM_NAMES.join(", ")}, got ${JSON.stringify(a)}`);
    });
    if (new Set(x).size !== x.length) fail(path, "an algorithm appears twice");
    return x as AlgorithmName[];
  };
  const spec: AdmissionExperimentSpec = {
    kind: ADMISSION_KIND,
    name: d.name as string,
    description: d.description as string,
    sources: d.sources as Record<string, string>,
    seed: d.seed as number,
    tests: tests(d.tests, "/tests"),
    algorithms: algorithms(d.algorithms, "/algorithms"),
    ...(d.duration !== undefined ? { duration: duration(d.duration, "/duration") } : {}),
    seeds: seeds(d.seeds, "/seeds"),
    sampleEvery: duration(d.sampleEvery, "/sampleEvery"),
  };
  if (d.quick !== undefined) {
    if (!isObject(d.quick)) return fail("/quick", "expected an object (duration, seeds, tests, algorithms)");
    const q = d.quick;
    for (const k of Object.keys(q)) if (!QUICK_KEYS.includes(k)) fail(`/quick/${k}`, `unknown key; expected one of: ${QUICK_KEYS.join(", ")}`);
    spec.quick = {
      ...(q.duration !== undefined ? { duration: duration(q.duration, "/quick/duration") } : {}),
      ...(q.seeds !== undefined ? { seeds: seeds(q.seeds, "/quick/seeds") } : {}),
      ...(q.tests !== undefined ? { tests: tests(q.tests, "/quick/tests") } : {}),
      ...(q.algorithms !== undefined ? { algorithms: algorithms(q.algorithms, "/quick/algorithms") } : {}),
    };
  }
  return spec;
}

/** The experiment as its `quick` section makes it (or as it is), without the quick section. */
export function asRun(spec: AdmissionExperimentSpec, quick: boolean, file: string): AdmissionExperimentSpec {
  const { quick: q, ...rest } = spec;
  if (!quick) return rest;
  if (q === undefined) throw new InputError(`${file}: /`, 'has no "quick" section, so --quick has nothing to run');
  return { ...rest, ...q };
}

/**
 * A run's seed: a hash of the experiment's seed, the test and the replicate, not the algorithm, so every algorithm
 * meets the same clients with the same gaps (common random numbers) and their difference is the algorithm's alone.
 */
function deriveSeed(seed: number, test: number, replicate: number): number {
  return createHash("sha256").update(`${seed}|test=${test}|${replicate}`).digest().readUInt32BE(0);
}

/** Every run of the experiment (as run), sorted by id. */
export function planAdmission(spec: AdmissionExperimentSpec): AdmissionRun[] {
  const runs: AdmissionRun[] = [];
  for (const test of spec.tests) {
    const durationS = spec.duration !== undefined ? parseDuration(spec.duration) / 1000 : testSetup(test).durationS;
    for (const algorithm of spec.algorithms) {
      for (let replicate = 0; replicate < spec.seeds; replicate++) {
        const id = `test=${test},algorithm=${algorithm},replicate=${replicate}`;
        runs.push({ id, dir: id, test, algorithm, replicate, seed: deriveSeed(spec.seed, test, replicate), durationS });
      }
    }
  }
  return runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Plans an admission experiment file (as `--quick` makes it, when asked): what a study counts before running. */
export function prepareAdmission(file: string, quick: boolean): { spec: AdmissionExperimentSpec; runs: AdmissionRun[] } {
  const spec = asRun(readAdmissionSpec(file), quick, file);
  return { spec, runs: planAdmission(spec) };
}

/** One run, summarised: the harness's verdict per client and the groups' stored bytes every `sampleEvery`. */
export function runAdmission(run: AdmissionRun, sampleEveryS: number): AdmissionRunSummary {
  const started = performance.now(); // wall-clock ok: reported as wall_s, never used by the run
  const { rows, summary } = runSingleNode({ test: testSetup(run.test), algorithm: run.algorithm, seed: run.seed, durationS: run.durationS });
  const specs = new Map(testSetup(run.test).clients.map((c) => [c.name, c]));
  return {
    test: run.test,
    algorithm: run.algorithm,
    seed: run.seed,
    replicate: run.replicate,
    durationS: summary.durationS,
    measureFromS: summary.measureFromS,
    capacitySpaceTimePerS: summary.capacitySpaceTimePerS,
    acceptedSpaceTimePerS: summary.acceptedSpaceTimePerS,
    jain: summary.jain,
    maxDeviation: summary.maxDeviation,
    meanDeviation: summary.meanDeviation,
    maxDeviationOfAccepted: summary.maxDeviationOfAccepted,
    clients: summary.clients.map((c) => {
      const s = specs.get(c.client);
      if (s === undefined) throw new Error(`admission: no client ${c.client} in test ${run.test}`);
      return {
        client: c.client,
        group: clientGroup(c.client),
        sizeBytes: s.sizeBytes,
        ttlS: s.ttlS,
        demandSpaceTimePerS: c.demandSpaceTimePerS,
        acceptedPutsPerS: c.acceptedPutsPerS,
        acceptedSpaceTimePerS: c.acceptedSpaceTimePerS,
        target: c.target,
        deviation: c.deviation,
      };
    }),
    series: groupSeries(rows, sampleEveryS),
    wall_s: (performance.now() - started) / 1000, // wall-clock ok
  };
}

/** The mean stored bytes per member of each client group, at every multiple of `everyS` the rows sample. */
export function groupSeries(rows: readonly ClientRow[], everyS: number): AdmissionRunSummary["series"] {
  const groups = new Map<string, { members: Set<string>; at: Map<number, number> }>();
  for (const r of rows) {
    const t = Math.round(r.time_s * 1000);
    if (t % Math.round(everyS * 1000) !== 0) continue;
    const name = clientGroup(r.client);
    let g = groups.get(name);
    if (g === undefined) groups.set(name, (g = { members: new Set(), at: new Map() }));
    g.members.add(r.client);
    g.at.set(t, (g.at.get(t) ?? 0) + r.stored_bytes);
  }
  return [...groups].map(([group, g]) => {
    const times = [...g.at.keys()].sort((a, b) => a - b);
    return { group, members: g.members.size, time_s: times.map((t) => t / 1000), stored_bytes: times.map((t) => Math.round(((g.at.get(t) as number) / g.members.size) * 1000) / 1000) };
  });
}

export interface AdmissionRunOptions {
  out: string;
  quick: boolean;
  signal?: AbortSignal;
  onPlanned?: (live: Readonly<SweepResult>) => void;
  onRunEnded?: (runId: string, outcome: "done" | "failed") => void;
}

/**
 * Runs an admission experiment into `out` as a sweep would: `sweep.json` (the experiment as run and its plan),
 * then `runs/<run>/scenario.json` and `summary.json` per run, each run's directory written whole or not at all.
 * Runs found finished are kept. The runs are short (about a second each), so they run one after another in this
 * process; an interruption stops between two runs.
 */
export async function runAdmissionExperiment(file: string, options: AdmissionRunOptions): Promise<SweepResult> {
  const { spec, runs } = prepareAdmission(file, options.quick);
  const dir = resolve(options.out);
  claimForResume(dir, "sweep");
  const runsDir = join(dir, "runs");
  mkdirSync(runsDir, { recursive: true });
  removeStaleTemporaries(dir, { owned: true });
  removeStaleTemporaries(runsDir, { owned: true });
  const plan = `${JSON.stringify({ kind: ADMISSION_KIND, scenario: spec, runs: runs.map(({ id, dir: d, seed }) => ({ id, dir: d, seed })) }, null, 2)}\n`;
  const planFile = join(dir, "sweep.json");
  if (existsSync(planFile) && readFileSync(planFile, "utf8") !== plan) throw new InputError(dir, "holds a different experiment (its sweep.json differs); choose another --out");
  if (!existsSync(planFile)) writeFileAtomic(planFile, plan);

  const finished = (r: AdmissionRun) => existsSync(join(runsDir, r.dir, "summary.json"));
  const todo = runs.filter((r) => !finished(r));
  const result = startedSweep(dir, runs.length, runs.length, todo.length);
  options.onPlanned?.(result);
  const everyS = parseDuration(spec.sampleEvery) / 1000;
  for (const run of todo) {
    // Let a pending interruption be heard between runs.
    await new Promise((r) => setImmediate(r));
    if (options.signal?.aborted) {
      result.interrupted = true;
      break;
    }
    const t0 = process.cpuUsage();
    const summary = runAdmission(run, everyS);
    const scenario = { kind: ADMISSION_KIND, test: run.test, algorithm: run.algorithm, replicate: run.replicate, seed: run.seed, durationS: run.durationS, sampleEvery: spec.sampleEvery };
    // Written beside the final name, then renamed: a run directory is whole or absent.
    const tmp = temporaryDirectory(join(runsDir, run.dir));
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileAtomic(join(tmp, "scenario.json"), `${JSON.stringify(scenario, null, 2)}\n`);
    writeFileAtomic(join(tmp, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    renameSync(tmp, join(runsDir, run.dir));
    const cpu = process.cpuUsage(t0);
    result.cpuSeconds += (cpu.user + cpu.system) / 1e6;
    result.done++;
    options.onRunEnded?.(run.id, "done");
  }
  result.complete = runs.every(finished);
  return result;
}

/** How long an experiment's runs are, for the report: "5h" or "5h (16h for test 2)". */
export function runLengths(runs: readonly { test: number; durationS: number }[]): string {
  const byTest = new Map(runs.map((r) => [r.test, r.durationS]));
  const counts = new Map<number, number>();
  for (const d of byTest.values()) counts.set(d, (counts.get(d) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const others = [...byTest].filter(([, d]) => d !== common).map(([t, d]) => `${formatDuration(d * 1000)} for test ${t}`);
  return `${formatDuration(common * 1000)}${others.length > 0 ? ` (${others.join(", ")})` : ""}`;
}
