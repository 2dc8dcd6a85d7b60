import { type ChildProcess, fork } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PROTOCOLS } from "../../protocols/index.js";
import { InputError } from "../scenario/errors.js";
import { setAtPath } from "../scenario/json-path.js";
import { parseJsonText } from "../scenario/json-text.js";
import { parseScenario } from "../scenario/load-scenario.js";
import type { ScenarioOverrides } from "../scenario/scenario.js";
import { checkProtocolOptions } from "../scenario/protocol-options.js";
import { writeFileAtomic } from "./atomic-file.js";
import { removeStaleTemporaries } from "./leftovers.js";
import { documentHash } from "./default-results-dir.js";
import { claimForResume } from "./result-marker.js";
import { temporaryDirectory } from "./run-directory.js";
import type { FromWorker, ToWorker } from "./sweep-messages.js";
import { type PlannedRun, planSweep, selectShard, type SweepSpec } from "./sweep-plan.js";

export interface SweepOptions {
  out?: string;
  /** The command line's --seed and --set: applied to the base scenario, before the grid. */
  overrides?: SweepOverrides;
  /** Run the sweep's `quick` variant: its overrides, grid entries and seeds. */
  quick?: boolean;
  jobs?: number;
  shard?: { index: number; count: number };
  /** Try again runs recorded as failed. */
  retryFailed?: boolean;
  /** Called once the runs are planned, with the result as it stands; it is kept up to date as runs end. */
  onPlanned?: (live: Readonly<SweepResult>) => void;
  onRunEnded?: (run: PlannedRun, outcome: "done" | "failed", done: number, total: number) => void;
  onEvents?: (events: number) => void;
  /** Aborted: start no more runs, and stop those in progress, writing nothing of them. */
  signal?: AbortSignal;
}

export interface SweepResult {
  dir: string;
  planned: number;
  selected: number;
  skipped: number;
  done: number;
  failed: number;
  /** Runs in progress now. */
  running: number;
  /** Runs stopped before their end by an interruption; nothing of them was kept. */
  stopped: number;
  interrupted: boolean;
  /** Every run of the plan has ended (done or failed): the sweep can be analysed. */
  complete: boolean;
  /** CPU time of the runs done here, all threads of their workers, in seconds. */
  cpuSeconds: number;
}

/** A sweep's result as it starts: `todo` of the `selected` runs still to run, nothing done yet. */
export function startedSweep(dir: string, planned: number, selected: number, todo: number): SweepResult {
  return { dir, planned, selected, skipped: selected - todo, done: 0, failed: 0, running: 0, stopped: 0, interrupted: false, complete: false, cpuSeconds: 0 };
}

export type SweepOverrides = Pick<ScenarioOverrides, "seed" | "set">;

export interface PreparedRun extends PlannedRun {
  document: Record<string, unknown>;
}

interface QuickVariant {
  set?: Record<string, unknown>;
  grid?: Record<string, unknown[]>;
  seeds?: number;
}

/** The sweep scenario as its `quick` section makes it: overrides set, grid entries replaced, seeds changed. */
function quickVariant(document: Record<string, unknown>, file: string): Record<string, unknown> {
  const sweep = document.sweep as { grid?: Record<string, unknown[]>; seeds?: number; quick?: QuickVariant } | undefined;
  if (sweep?.quick === undefined) throw new InputError(`${file}: /sweep`, 'has no "quick" section, so --quick has nothing to run');
  const { set = {}, grid = {}, seeds } = sweep.quick;
  const quick = structuredClone(document);
  for (const [path, value] of Object.entries(set)) setAtPath(quick, path, value);
  const quickSweep = quick.sweep as { grid: Record<string, unknown[]>; seeds?: number; quick?: QuickVariant };
  for (const [key, values] of Object.entries(grid)) {
    if (!(key in quickSweep.grid)) throw new InputError(`${file}: /sweep/quick/grid/${key}`, "is not a key of /sweep/grid");
    quickSweep.grid[key] = values;
  }
  if (seeds !== undefined) quickSweep.seeds = seeds;
  delete quickSweep.quick;
  return quick;
}

/** Reads a sweep scenario and plans its runs; every run's scenario is validated before anything starts. */
export function prepareSweep(
  file: string,
  quick = false,
  overrides: SweepOverrides = {},
): { name: string; document: Record<string, unknown>; runs: PreparedRun[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(file, `cannot read the scenario (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let document = parseJsonText(text, file) as Record<string, unknown>;
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw new InputError(`${file}: /`, "expected a JSON object");
  const check = (name: string, options: Record<string, unknown>) => checkProtocolOptions(PROTOCOLS, name, options);
  document = withOverrides(document, overrides);
  parseScenario(structuredClone(document), file, {}, check);
  // The command line's overrides win over the quick variant's too: applied again to the document it makes.
  if (quick) document = withOverrides(quickVariant(document, file), overrides);
  const base = parseScenario(document, file, {}, check);
  const sweep = base.document.sweep as SweepSpec | undefined;
  if (sweep === undefined) throw new InputError(`${file}: /`, 'missing key "sweep": use npm run sim for a single run');
  refuseSweptOverrides(overrides, sweep);
  let planned: PlannedRun[];
  try {
    planned = planSweep(sweep, base.seed);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${e.where}`, e.message.slice(e.where.length + 2));
    throw e;
  }
  const runs = planned.map((run) => {
    const runDocument = structuredClone(document);
    delete runDocument.sweep;
    // A copy of each value: a later path may set inside it (churn.sessions, then churn.sessions.median), and the
    // grid's values are shared by every run.
    for (const [path, value] of Object.entries(run.point)) setAtPath(runDocument, path, structuredClone(value));
    runDocument.seed = run.seed;
    try {
      parseScenario(structuredClone(runDocument), file, {}, check);
    } catch (e) {
      if (e instanceof InputError) throw gridError(e, file, sweep, run);
      throw e;
    }
    return { ...run, document: runDocument };
  });
  return { name: base.name, document: base.document, runs };
}

/**
 * A run's scenario refused: said at the grid value that set the field (`/sweep/grid/churn.tMed/1`, and below it for
 * an object value), or, when no single grid value set it (a combination of them was refused), at the run's point.
 */
function gridError(e: InputError, file: string, sweep: SweepSpec, run: PlannedRun): InputError {
  const message = e.message.slice(e.where.length + 2);
  const path = e.where.startsWith(`${file}: /`) ? e.where.slice(file.length + 2) : null;
  for (const key of Object.keys(run.point)) {
    const pointer = `/${key.split(".").join("/")}`;
    if (path === null || (path !== pointer && !path.startsWith(`${pointer}/`))) continue;
    const index = sweep.grid[key].findIndex((v) => JSON.stringify(v) === JSON.stringify(run.point[key]));
    if (index >= 0) return new InputError(`${file}: /sweep/grid/${key}/${index}${path.slice(pointer.length)}`, message);
  }
  return new InputError(`${file}: /sweep/grid (${run.id})`, `${path === null ? "" : `${path}: `}${message}`);
}

/**
 * The base scenario as the command line's --seed and --set change it. The document itself, not the resolved
 * one: a run's grid point may change the protocol, whose defaults must not be those of the base's.
 */
function withOverrides(document: Record<string, unknown>, { seed, set = [] }: SweepOverrides): Record<string, unknown> {
  const changed = structuredClone(document);
  if (seed !== undefined) changed.seed = seed;
  for (const { path, value } of set) {
    try {
      setAtPath(changed, path, structuredClone(value));
    } catch (e) {
      throw new InputError(`--set ${path}`, (e as Error).message);
    }
  }
  return changed;
}

/** A --set of a swept path would be overwritten by every run's grid value: say so rather than ignore it. */
function refuseSweptOverrides(overrides: SweepOverrides, sweep: SweepSpec): void {
  for (const { path } of overrides.set ?? []) {
    const swept = Object.keys(sweep.grid).find((key) => key === path || key.startsWith(`${path}.`) || path.startsWith(`${key}.`));
    if (swept !== undefined) throw new InputError(`--set ${path}`, `the sweep's grid sets "${swept}" in every run; change its values in /sweep/grid instead`);
  }
}

const workerPath = fileURLToPath(new URL("./sweep-worker.ts", import.meta.url));
/** A young generation of 64 MiB: runs allocate fast and briefly, and fewer scavenges make them about 10% faster. */
// tsx by its resolved location: a bare "tsx" would be looked for from the working directory, which need not
// be this repository's.
const WORKER_NODE_OPTIONS = ["--import", import.meta.resolve("tsx"), "--max-semi-space-size=64"];

/**
 * Runs a sweep into `dir`: `sweep.json` (the scenario and its plan) and `runs/<run>/` for each run, each written
 * atomically. Runs already present — done, or failed (recorded as `runs/<run>.failed.json`) — are not run again,
 * so rerunning the same command resumes an interrupted sweep. `dir` must be new, empty, or a sweep directory;
 * the temporaries that crashed runs left in it are removed first.
 */
export async function runSweep(file: string, options: SweepOptions = {}): Promise<SweepResult> {
  const { name, document, runs } = prepareSweep(file, options.quick, options.overrides);
  const dir = resolve(options.out ?? defaultSweepDir(name, document, options));
  claimForResume(dir, "sweep");
  const runsDir = join(dir, "runs");
  mkdirSync(runsDir, { recursive: true });
  removeStaleTemporaries(dir, { owned: true });
  removeStaleTemporaries(runsDir, { owned: true });
  writePlan(dir, document, runs);

  const selected = options.shard ? selectShard(runs, options.shard) : runs;
  const failedFile = (r: PlannedRun) => join(runsDir, `${r.dir}.failed.json`);
  const ended = (r: PlannedRun) => existsSync(join(runsDir, r.dir)) || (!options.retryFailed && existsSync(failedFile(r)));
  const todo = selected.filter((r) => !ended(r));
  const result = startedSweep(dir, runs.length, selected.length, todo.length);
  options.onPlanned?.(result);
  const jobs = Math.max(1, Math.min(options.jobs ?? cpus().length, todo.length));
  await runInWorkers(file, todo, jobs, runsDir, failedFile, result, options);
  result.interrupted ||= options.signal?.aborted === true;
  result.complete = runs.every(ended);
  return result;
}

/**
 * `results/<name>[-quick]-sweep/`, and when --seed or --set changed the scenario, a short hash of the sweep as
 * run after it: variants of one sweep never collide, and rerunning a variant resumes its own directory.
 */
function defaultSweepDir(name: string, document: Record<string, unknown>, options: SweepOptions): string {
  const base = `results/${name}${options.quick ? "-quick" : ""}-sweep`;
  const { seed, set = [] } = options.overrides ?? {};
  return seed === undefined && set.length === 0 ? base : `${base}-${documentHash(document)}`;
}

/** Writes `sweep.json`, or checks that the one already there plans the same sweep (so resuming is safe). */
function writePlan(dir: string, document: Record<string, unknown>, runs: readonly PlannedRun[]): void {
  const plan = `${JSON.stringify({ scenario: document, runs: runs.map(({ id, dir: d, seed }) => ({ id, dir: d, seed })) }, null, 2)}\n`;
  const planFile = join(dir, "sweep.json");
  if (existsSync(planFile) && readFileSync(planFile, "utf8") !== plan) {
    throw new InputError(dir, "holds a different sweep (its sweep.json differs); choose another --out");
  }
  if (!existsSync(planFile)) writeFileAtomic(planFile, plan);
}

/**
 * Hands the runs out to `jobs` worker processes, one run at a time each, counting the outcomes into `result`.
 * Interrupted (`options.signal`), it starts no more runs and tells each worker to stop its run, which removes
 * what it wrote. Should this process exit before the workers have (a second Ctrl-C exits at once), its exit
 * handler kills them and removes their temporary directories: it knows each one's pid and run, so their names.
 */
function runInWorkers(
  file: string,
  todo: readonly PreparedRun[],
  jobs: number,
  runsDir: string,
  failedFile: (r: PlannedRun) => string,
  result: SweepResult,
  options: SweepOptions,
): Promise<void> {
  let next = 0;
  const { signal } = options;
  const workers = new Map<ChildProcess, PreparedRun | null>();
  const removePartial = (child: ChildProcess, run: PlannedRun) => {
    if (child.pid !== undefined) rmSync(temporaryDirectory(join(runsDir, run.dir), child.pid), { recursive: true, force: true, maxRetries: 3 });
  };
  const stopAll = () => {
    for (const [child, run] of workers) if (run !== null && child.connected) child.send({ type: "stop" } satisfies ToWorker);
  };
  const killAll = () => {
    for (const [child, run] of workers) {
      child.kill("SIGKILL");
      if (run !== null) removePartial(child, run);
    }
  };
  return new Promise<void>((finish) => {
    const startWorker = () => {
      const child = fork(workerPath, [], { execArgv: WORKER_NODE_OPTIONS, stdio: ["ignore", "ignore", "inherit", "ipc"] });
      workers.set(child, null);
      let lastEvents = 0;
      const retire = () => {
        workers.set(child, null);
        if (child.connected) child.send({ type: "exit" } satisfies ToWorker);
      };
      const dispatch = () => {
        if (next >= todo.length || signal?.aborted) return retire();
        const run = todo[next++];
        workers.set(child, run);
        result.running++;
        lastEvents = 0;
        child.send({ type: "run", file, document: run.document, dir: join(runsDir, run.dir) } satisfies ToWorker);
      };
      child.on("message", (m: FromWorker) => {
        if (m.type === "progress") {
          options.onEvents?.(m.events - lastEvents);
          lastEvents = m.events;
          return;
        }
        const run = workers.get(child) as PreparedRun;
        result.running--;
        if (m.type === "interrupted") {
          // Stopped by us, or by a signal of its own: either way this worker takes no more runs.
          result.interrupted = true;
          result.stopped++;
          return retire();
        }
        if (m.type === "failed") {
          result.failed++;
          writeFileAtomic(failedFile(run), `${JSON.stringify({ id: run.id, seed: run.seed, point: run.point, error: m.error }, null, 2)}\n`);
          options.onRunEnded?.(run, "failed", result.done + result.failed, todo.length);
        } else {
          result.done++;
          result.cpuSeconds += m.cpuSeconds;
          options.onRunEnded?.(run, "done", result.done + result.failed, todo.length);
        }
        dispatch();
      });
      child.on("exit", () => {
        const run = workers.get(child);
        workers.delete(child);
        if (run != null) {
          // The worker died mid-run (killed, out of memory): its run is redone on resume; what it wrote goes now.
          result.running--;
          result.stopped++;
          result.interrupted = true;
          removePartial(child, run);
        }
        if (workers.size === 0) {
          signal?.removeEventListener("abort", stopAll);
          process.off("exit", killAll);
          finish();
        }
      });
      dispatch();
    };
    if (todo.length === 0) return finish();
    signal?.addEventListener("abort", stopAll);
    process.on("exit", killAll);
    for (let i = 0; i < jobs; i++) startWorker();
  });
}
