import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { layersFor } from "../sim/experiments/layers.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import { InputError } from "../sim/scenario/errors.js";
import type { Scenario } from "../sim/scenario/scenario.js";
import { Simulation } from "../sim/simulation/simulation.js";

/**
 * CPU time a live run spends per message on this kind of machine, everything included (encoding, the system
 * calls to send and receive, decoding, the protocol's handling, timers, the simulation's bookkeeping): measured
 * as process CPU over datagrams in 10-minute live runs of Bamboo at 300 nodes (about 70 µs), rounded up.
 */
export const CPU_US_PER_MESSAGE = 100;
/** A live run is one thread; beyond this share of a core its timers and deliveries fall behind the clock. */
export const MAX_CORE_SHARE = 0.7;

export interface RealTimeEstimate {
  messagesPerS: number;
  coreShare: number;
}

/**
 * How busy a live run of `scenario` would keep one core: the scenario simulated first for its join phase and two
 * minutes more (or less, when it is shorter), its message rate taken from that, times CPU_US_PER_MESSAGE.
 */
export function estimateRealTime(scenario: Scenario, protocol: ProtocolDefinition<any, any>): RealTimeEstimate {
  const durationMs = Math.min(scenario.durationMs, scenario.joinPhaseMs + 120_000);
  const trial: Scenario = { ...scenario, durationMs, warmupMs: Math.min(scenario.warmupMs, durationMs / 2) };
  const dir = mkdtempSync(join(tmpdir(), "churnsim-estimate-"));
  try {
    const summary = new Simulation(trial, protocol, dir, layersFor(trial)).run();
    const messagesPerS = summary.messages.sent.messages / (durationMs / 1000);
    return { messagesPerS, coreShare: (messagesPerS * CPU_US_PER_MESSAGE) / 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Refuses (InputError at /nodes) a scenario whose estimate exceeds MAX_CORE_SHARE, saying how many nodes would fit. */
export function checkRealTime(estimate: RealTimeEstimate, scenario: Scenario, file: string): void {
  if (estimate.coreShare <= MAX_CORE_SHARE) return;
  const fit = Math.floor((scenario.nodes * MAX_CORE_SHARE) / estimate.coreShare);
  throw new InputError(
    `${file}: /nodes`,
    `a live run of ${scenario.nodes} nodes would send about ${Math.round(estimate.messagesPerS).toLocaleString("en-US")} messages/s, ` +
      `about ${estimate.coreShare.toFixed(2)} of a core at ${CPU_US_PER_MESSAGE} µs each, but it runs on one thread and keeps up to about ${MAX_CORE_SHARE}: ` +
      `use about ${fit} nodes or fewer, or npm run sim`,
  );
}
