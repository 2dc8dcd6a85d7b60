import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROTOCOLS } from "../../protocols/index.js";
import { checkProtocolOptions } from "../../sim/protocol-options.js";
import { loadScenario } from "../../sim/scenario.js";
import { Simulation } from "../../sim/simulation.js";

/** A whole Bamboo run under the Kazaa preset: simulated minutes per wall second, events/s, heap growth per node. */
export function benchWholeRun(nodes: number, duration: string): { simMinutesPerWallSecond: number; eventsPerSecond: number; seconds: number; heapBytesPerNode: number } {
  const scenario = loadScenario("scenarios/kazaa.json", { nodes, duration, set: [{ path: "warmup", value: "3m" }] }, (name, options) =>
    checkProtocolOptions(PROTOCOLS, name, options),
  );
  const dir = mkdtempSync(join(tmpdir(), "churnsim-bench-run-"));
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const summary = new Simulation(scenario, PROTOCOLS.bamboo, dir).run();
  const seconds = (performance.now() - started) / 1000;
  const heapAfter = process.memoryUsage().heapUsed;
  rmSync(dir, { recursive: true, force: true });
  return {
    simMinutesPerWallSecond: scenario.durationMs / 60_000 / seconds,
    eventsPerSecond: summary.events / seconds,
    seconds,
    heapBytesPerNode: Math.max(0, heapAfter - heapBefore) / nodes,
  };
}
