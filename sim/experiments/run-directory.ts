import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Summary } from "../metrics/metrics.js";
import type { ProtocolDefinition } from "../runtime/protocol-definition.js";
import { InputError } from "../scenario/errors.js";
import type { Scenario } from "../scenario/scenario.js";
import { type RunHooks, Simulation } from "../simulation/simulation.js";

export interface RunResult {
  dir: string;
  summary: Summary & { wall_s: number };
}

/**
 * Runs a scenario into `dir` atomically: everything is written into a temporary sibling directory, which is
 * renamed to `dir` only when the run has completed. An error, an interruption or the process exiting removes the
 * temporary directory, so `dir` holds a complete result or nothing. An existing `dir` is replaced only with `force`.
 */
export async function runToDirectory(
  scenario: Scenario,
  protocol: ProtocolDefinition<any, any>,
  dir: string,
  options: { force?: boolean; check?: boolean; hooks?: RunHooks } = {},
): Promise<RunResult> {
  const target = resolve(dir);
  if (existsSync(target) && !options.force) {
    throw new InputError(target, "the results directory already exists; choose another with --out or replace it with --force");
  }
  mkdirSync(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary);
  // A process that exits mid-run (a second Ctrl-C exits at once) removes it too.
  const removeTemporary = () => rmSync(temporary, { recursive: true, force: true });
  process.on("exit", removeTemporary);
  try {
    const started = performance.now(); // wall-clock ok: reported as wall_s, never used by the simulation
    const simulation = new Simulation(scenario, protocol, temporary, { check: options.check });
    const summary = { ...(await simulation.runAsync(options.hooks)), wall_s: (performance.now() - started) / 1000 }; // wall-clock ok
    const { document } = scenario;
    writeFileSync(join(temporary, "scenario.json"), `${JSON.stringify(document, null, 2)}\n`);
    writeFileSync(
      join(temporary, "summary.json"),
      `${JSON.stringify({ scenario: scenario.name, seed: scenario.seed, protocol: scenario.protocol.name, ...summary }, null, 2)}\n`,
    );
    if (existsSync(target)) {
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
