import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROTOCOLS } from "../../../protocols/index.js";
import { loadScenario } from "../../scenario/load-scenario.js";
import { checkProtocolOptions } from "../../scenario/protocol-options.js";
import { type ScenarioOverrides } from "../../scenario/scenario.js";
import { layersFor } from "../layers.js";
import { Simulation } from "../../simulation/simulation.js";

/**
 * One whole run for `npm run bench`, in a process of its own so that its peak RSS is its own: reads the run
 * from argv as JSON ({ scenario, nodes, duration, set }), prints one JSON line of figures. Needs --expose-gc to
 * measure the live heap at the end (what the simulation holds, without garbage awaiting collection).
 */
const { scenario: file, ...overrides } = JSON.parse(process.argv[2]) as { scenario: string } & ScenarioOverrides;
const scenario = loadScenario(file, overrides, (name, options) => checkProtocolOptions(PROTOCOLS, name, options));
const dir = mkdtempSync(join(tmpdir(), "churnsim-bench-run-"));
const started = performance.now(); // wall-clock ok: the bench times the simulator
const simulation = new Simulation(scenario, PROTOCOLS[scenario.protocol.name], dir, { ...layersFor(scenario) });
const summary = simulation.run();
const seconds = (performance.now() - started) / 1000; // wall-clock ok
// Copies held by live nodes at the end (values and tombstones): what the live heap's storage share is spread over.
let storedCopies: number | null = null;
if (simulation.storage !== null) {
  storedCopies = 0;
  for (let i = 0; i < simulation.alive.size; i++) simulation.node(simulation.alive.at(i)).storage?.disk.forEachTuple(() => void (storedCopies as number)++);
}
(globalThis as { gc?: () => void }).gc?.();
const liveHeapBytes = process.memoryUsage().heapUsed;
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    nodes: scenario.nodes,
    simulatedSeconds: scenario.durationMs / 1000,
    events: summary.events,
    seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    liveHeapBytes,
    departuresPerSecond: summary.departures_per_s,
    storedCopies,
  })}\n`,
);
// Keeps the simulation reachable until the heap was measured.
void simulation;
