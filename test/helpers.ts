import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROTOCOLS } from "../protocols/index.js";
import type { Summary } from "../sim/metrics/metrics.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import { parseScenario } from "../sim/scenario/load-scenario.js";
import { checkProtocolOptions } from "../sim/scenario/protocol-options.js";
import { type Scenario } from "../sim/scenario/scenario.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { layersFor } from "../sim/experiments/layers.js";

export function tempDir(prefix = "churnsim-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A protocol that does no networking: a node joins at once and answers every lookup itself. Lets tests measure
 * the engine (churn, workload, metrics) without any protocol's behaviour in the way.
 */
export const silent: ProtocolDefinition<Record<string, never>> = {
  name: "silent",
  description: "test double",
  ownership: "ring",
  optionsSchema: { type: "object", additionalProperties: false },
  parseOptions: () => ({}),
  create: (rt) => ({
    join: () => rt.reportJoined(),
    receive: () => {},
    lookup: (_key, handle) => rt.reportLookup(handle, rt.id, 0),
  }),
};

const registry: Record<string, ProtocolDefinition<any, any>> = { ...PROTOCOLS, silent };

export function scenario(doc: Record<string, unknown>): Scenario {
  return parseScenario(doc, "test-scenario.json", {}, (name, options) => checkProtocolOptions(registry, name, options));
}

/** Runs a scenario document into a fresh directory; returns the summary and a reader for its files. */
export function run(doc: Record<string, unknown>): { summary: Summary; dir: string; read: (file: string) => string } {
  const s = scenario(doc);
  const dir = tempDir();
  // Every test run checks the invariants.
  const summary = new Simulation(s, registry[s.protocol.name], dir, { check: true, ...layersFor(s) }).run();
  return { summary, dir, read: (file) => readFileSync(join(dir, file), "utf8") };
}
