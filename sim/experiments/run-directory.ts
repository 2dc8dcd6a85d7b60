import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Summary } from "../metrics/metrics.js";
import type { ProtocolDefinition } from "../runtime/protocol-definition.js";
import { InputError } from "../scenario/errors.js";
import type { Scenario } from "../scenario/scenario.js";
import type { LiveEnvironment } from "../simulation/live-environment.js";
import { type RunHooks, Simulation } from "../simulation/simulation.js";
import { removeStaleTemporaries } from "./leftovers.js";
import { inspect, MARKER, writeMarker } from "./result-marker.js";
import { layersFor } from "./layers.js";

/** A live run's environment, and what it adds to the run's directory once the run has ended. */
export interface LiveRun {
  readonly environment: LiveEnvironment;
  /** Writes the live run's own files into `dir` and returns what it adds to summary.json. */
  finish(dir: string): Record<string, unknown>;
}

export interface RunResult {
  dir: string;
  summary: Summary & { wall_s: number };
}

/** Where the process `pid` writes the run that becomes `target`: a hidden sibling, so a rename publishes it whole. */
export function temporaryDirectory(target: string, pid = process.pid): string {
  return join(dirname(target), `.${basename(target)}.partial-${pid}`);
}

/**
 * Refuses (exit status 2, nothing touched) a results directory the run may not take: a file; a directory that is
 * not empty, unless `force` and it is recognisably a churnsim run. Called before the run and again before the
 * rename, since the directory may have changed meanwhile.
 */
function checkTarget(target: string, force: boolean): void {
  const found = inspect(target);
  if (found.is === "file") throw new InputError(target, "is a file, not a results directory; nothing was touched: choose another --out");
  if (found.is === "foreign") {
    throw new InputError(target, `is not empty and not a churnsim run (it has neither a ${MARKER} file nor scenario.json and summary.json); nothing was touched: choose another --out`);
  }
  if (found.is === "result" && found.kind !== "run") {
    throw new InputError(target, `holds a churnsim ${found.kind}, not a single run; --force replaces only a run, so nothing was touched: choose another --out`);
  }
  if (found.is === "result" && !force) throw new InputError(target, "the results directory already exists; choose another with --out or replace it with --force");
}

/**
 * Runs a scenario into `dir` atomically: everything is written into a temporary sibling directory (marked as ours
 * from the start), which is renamed to `dir` only when the run has completed. An error, an interruption or the
 * process exiting removes the temporary directory, so `dir` holds a complete result or nothing. An existing `dir`
 * is replaced only with `force`, and only if it is a churnsim run; an empty one is taken.
 */
export async function runToDirectory(
  scenario: Scenario,
  protocol: ProtocolDefinition<any, any>,
  dir: string,
  options: { force?: boolean; check?: boolean; hooks?: RunHooks; live?: LiveRun } = {},
): Promise<RunResult> {
  const target = resolve(dir);
  const force = options.force ?? false;
  checkTarget(target, force);
  mkdirSync(dirname(target), { recursive: true });
  // Leftovers of this run's earlier attempts that crashed (kill -9, power loss); only those carrying our marker.
  removeStaleTemporaries(dirname(target), { owned: false, name: basename(target) });
  const temporary = temporaryDirectory(target);
  mkdirSync(temporary);
  // A process that exits mid-run (a second Ctrl-C exits at once) removes it too.
  const removeTemporary = () => rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  process.on("exit", removeTemporary);
  try {
    writeMarker(temporary, "run");
    const started = performance.now(); // wall-clock ok: reported as wall_s, never used by the simulation
    const simulation = new Simulation(scenario, protocol, temporary, { check: options.check, ...layersFor(scenario), live: options.live?.environment });
    const summary = { ...(await simulation.runAsync(options.hooks)), wall_s: (performance.now() - started) / 1000 }; // wall-clock ok
    if (options.live !== undefined) Object.assign(summary, options.live.finish(temporary));
    // The scenario as run, without the `$schema` editors use: a path relative to the scenario file, which
    // would not resolve from the results directory.
    const { $schema: _schema, ...document } = scenario.document;
    writeFileSync(join(temporary, "scenario.json"), `${JSON.stringify(document, null, 2)}\n`);
    writeFileSync(
      join(temporary, "summary.json"),
      `${JSON.stringify({ scenario: scenario.name, seed: scenario.seed, protocol: scenario.protocol.name, ...summary }, null, 2)}\n`,
    );
    checkTarget(target, force);
    if (inspect(target).is !== "nothing") {
      const old = `${temporary}.old`;
      renameSync(target, old);
      renameSync(temporary, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(temporary, target);
    }
    return { dir: target, summary };
  } catch (e) {
    removeTemporary();
    throw e;
  } finally {
    process.off("exit", removeTemporary);
  }
}
