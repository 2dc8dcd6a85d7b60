import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROTOCOLS } from "../../../protocols/index.js";
import type { Summary } from "../../metrics/metrics.js";
import { parseScenario } from "../../scenario/load-scenario.js";
import { checkProtocolOptions } from "../../scenario/protocol-options.js";
import { Simulation } from "../../simulation/simulation.js";
import { layersFor, storageExtras } from "../layers.js";
import type { Combination } from "./combination.js";

const OUTPUTS = ["lookups.csv", "bandwidth.csv", "timeseries.csv"];
const FATES = ["delivered", "dropped_queue", "dropped_loss", "dropped_partition", "lost_to_dead_nodes", "in_flight"] as const;

/** Writes a combination as a scenario file (and its trace) into `dir`; returns the scenario's path. */
export function writeCombination(c: Combination, dir: string): string {
  if (c.trace !== null) writeFileSync(join(dir, "trace.csv"), c.trace);
  const file = join(dir, "scenario.json");
  writeFileSync(file, `${JSON.stringify(c.scenario, null, 2)}\n`);
  return file;
}

/**
 * Runs a combination twice under --check (time order, cancelled timers, byte conservation, dead nodes, lookups,
 * the population within the scenario's bound, frozen messages) and throws unless both runs complete, every
 * message sent has exactly one fate, and the two runs' outputs are byte-identical.
 */
export function checkCombination(c: Combination): Summary {
  const first = runOnce(c);
  const m = first.summary.messages;
  for (const unit of ["messages", "bytes"] as const) {
    const accounted = FATES.reduce((sum, fate) => sum + m[fate][unit], 0);
    if (accounted !== m.sent[unit]) throw new Error(`${unit} do not balance: ${m.sent[unit]} sent, ${accounted} delivered, dropped, lost or in flight`);
  }
  const second = runOnce(c);
  if (second.hash !== first.hash) throw new Error("two runs of the same scenario and seed gave different outputs");
  return first.summary;
}

/** One run under --check; returns the summary and a hash of every output. */
function runOnce(c: Combination): { summary: Summary; hash: string } {
  const dir = mkdtempSync(join(tmpdir(), "churnsim-combination-"));
  try {
    const file = writeCombination(c, dir);
    const scenario = parseScenario(structuredClone(c.scenario), file, {}, (name, options) => checkProtocolOptions(PROTOCOLS, name, options));
    const out = join(dir, "out");
    mkdirSync(out);
    const summary = new Simulation(scenario, PROTOCOLS[scenario.protocol.name], out, { check: true, ...layersFor(scenario) }).run();
    const hash = createHash("sha256");
    const storage = scenario.storage;
    for (const name of storage === null ? OUTPUTS : [...OUTPUTS, "puts.csv", "gets.csv", ...storageExtras(storage)]) hash.update(readFileSync(join(out, name)));
    hash.update(JSON.stringify(summary));
    return { summary, hash: hash.digest("hex") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
