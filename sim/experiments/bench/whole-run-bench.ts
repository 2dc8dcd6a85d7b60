import { spawnSync } from "node:child_process";
import { totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { PROTOCOLS } from "../../../protocols/index.js";
import { loadScenario } from "../../scenario/load-scenario.js";
import { checkProtocolOptions } from "../../scenario/protocol-options.js";
import { type ScenarioOverrides } from "../../scenario/scenario.js";
import { estimateRunBytes, largerHeapMiB } from "../memory-estimate.js";

export interface WholeRun {
  nodes: number;
  simulatedSeconds: number;
  events: number;
  seconds: number;
  peakRssBytes: number;
  liveHeapBytes: number;
  departuresPerSecond: number | null;
  /** With a storage layer: the copies (tuples) live nodes hold at the end. */
  storedCopies: number | null;
}

const child = fileURLToPath(new URL("./run-once.ts", import.meta.url));

/**
 * A whole run in a fresh process (its peak RSS is its own), with the options `npm run sim` gives runs: a 64 MiB
 * young generation, and for large populations the heap limit `npm run sim` would restart with.
 */
export function benchWholeRun(run: { scenario: string } & ScenarioOverrides): WholeRun {
  const { scenario: file, ...overrides } = run;
  const scenario = loadScenario(file, overrides, (name, options) => checkProtocolOptions(PROTOCOLS, name, options));
  // This process runs with the young generation below, so its heap limit is the one the run would get.
  const heapMiB = largerHeapMiB(estimateRunBytes(scenario, PROTOCOLS[scenario.protocol.name]), totalmem() * 0.8);
  const heap = heapMiB === null ? [] : [`--max-old-space-size=${heapMiB}`];
  const args = ["--import", "tsx", "--expose-gc", "--max-semi-space-size=64", ...heap, child, JSON.stringify(run)];
  const result = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`bench run ${JSON.stringify(run)} failed (exit ${result.status ?? result.signal})`);
  return JSON.parse(result.stdout.trim().split("\n").pop() as string) as WholeRun;
}

/** Simulated minutes per wall second. */
export const speed = (r: WholeRun) => r.simulatedSeconds / 60 / r.seconds;
/** Wall-clock cost of one event, in microseconds. */
export const microsPerEvent = (r: WholeRun) => (1e6 * r.seconds) / r.events;

const storeChild = fileURLToPath(new URL("./store-memory-bench.ts", import.meta.url));

/** Bytes per copy of `stores` tuple stores of `perStore` copies each, measured in a fresh process. */
export function storeMemory(stores: number, perStore: number): number {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", storeChild, String(stores), String(perStore)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (result.status !== 0) throw new Error(`store memory bench failed (exit ${result.status ?? result.signal})`);
  return (JSON.parse(result.stdout.trim()) as { bytesPerCopy: number }).bytesPerCopy;
}
