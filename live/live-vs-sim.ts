import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Summary } from "../sim/metrics/metrics.js";
import { runToDirectory } from "../sim/experiments/run-directory.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import type { Scenario } from "../sim/scenario/scenario.js";
import type { RunHooks } from "../sim/simulation/simulation.js";
import { runLive } from "./live-run.js";

export interface LiveVsSimOptions {
  /** The scenario as run with each seed. */
  scenarioFor(seed: number): Scenario;
  seeds: readonly number[];
  /** Progress and interruption of each run. */
  hooks?: (kind: "simulated" | "live", seed: number) => RunHooks;
  /** Said before each run starts (or is found done). */
  onRun?: (kind: "simulated" | "live", seed: number, reused: boolean) => void;
}

/** A run already in `dir` of exactly this scenario (runs are written whole, so one with a summary is complete). */
function finished(dir: string, scenario: Scenario): Summary | null {
  if (!existsSync(join(dir, "summary.json")) || !existsSync(join(dir, "scenario.json"))) return null;
  const { $schema: _schema, ...document } = scenario.document;
  if (readFileSync(join(dir, "scenario.json"), "utf8") !== `${JSON.stringify(document, null, 2)}\n`) return null;
  return JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Summary;
}

/** One seed's pair of runs. */
export interface RunPair {
  seed: number;
  simulated: Summary;
  live: Summary;
}

/**
 * Runs one scenario both ways for each seed, simulated then live, into `out`/sim-<seed> and `out`/live-<seed>, and
 * returns their summaries (analysis/live/comparison.ts compares them). A seed's runs face the same churn and the
 * same lookups (they draw from the same seeded streams), so differences pair by seed. Runs already there for the
 * same scenario are kept, so an interrupted comparison resumes.
 */
export async function liveVsSim(protocol: ProtocolDefinition<any, any>, out: string, options: LiveVsSimOptions): Promise<RunPair[]> {
  mkdirSync(out, { recursive: true });
  const pairs: RunPair[] = [];
  for (const seed of options.seeds) {
    const scenario = options.scenarioFor(seed);
    const simDir = join(out, `sim-${seed}`);
    const liveDir = join(out, `live-${seed}`);
    let simulated = finished(simDir, scenario);
    options.onRun?.("simulated", seed, simulated !== null);
    simulated ??= (await runToDirectory(scenario, protocol, simDir, { force: true, hooks: options.hooks?.("simulated", seed) })).summary;
    let live = finished(liveDir, scenario);
    options.onRun?.("live", seed, live !== null);
    live ??= (await runLive(scenario, protocol, liveDir, { force: true, hooks: options.hooks?.("live", seed) })).summary;
    pairs.push({ seed, simulated, live });
  }
  return pairs;
}
