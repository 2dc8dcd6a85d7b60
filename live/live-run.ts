import { type LiveRun, type RunResult, runToDirectory } from "../sim/experiments/run-directory.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import type { Scenario } from "../sim/scenario/scenario.js";
import type { RunHooks } from "../sim/simulation/simulation.js";
import { LiveSession } from "./live-session.js";

export interface LiveRunOptions {
  force?: boolean;
  hooks?: RunHooks;
  /** Called with the session once it exists (tests look at what it holds open). */
  onSession?: (session: LiveSession) => void;
}

/**
 * Runs `scenario` live into `dir`: the same churn, workload, metrics and files as a simulated run, on the wall
 * clock, with every node's messages encoded and carried over its own UDP socket on the loopback address; plus
 * wire.csv, cpu.csv and the live figures in summary.json. Whatever ends the run (its end, an error, Ctrl-C), every
 * timer is stopped and every socket closed before this returns. Call checkLiveScenario first.
 */
export async function runLive(scenario: Scenario, protocol: ProtocolDefinition<any, any>, dir: string, options: LiveRunOptions = {}): Promise<RunResult> {
  if (protocol.wire === undefined) throw new Error(`protocol ${protocol.name} has no wire format`);
  const session = new LiveSession(protocol.wire);
  options.onSession?.(session);
  const outer = options.hooks?.onProgress;
  const hooks: RunHooks = {
    // The run yields at every wake-up: a failure outside the scheduler's events (a timer, a socket) ends it there.
    onProgress: (simulatedMs, events) => {
      if (session.failure !== null) throw session.failure;
      return outer?.(simulatedMs, events);
    },
    progressEvery: options.hooks?.progressEvery ?? 20_000,
  };
  const live: LiveRun = session;
  try {
    return await runToDirectory(scenario, protocol, dir, { force: options.force, hooks, live });
  } finally {
    await session.close();
  }
}
