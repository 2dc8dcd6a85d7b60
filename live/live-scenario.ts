import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import { InputError } from "../sim/scenario/errors.js";
import type { Scenario } from "../sim/scenario/scenario.js";

/** Bounds of a live run: every node holds a socket, and the run takes as long as its scenario says. */
export const LIVE_MAX_NODES = 2000;
export const LIVE_MAX_DURATION_MS = 4 * 3600_000;

/**
 * Refuses (InputError, exit 2) what a live run cannot do: layers without a wire encoding, anything that needs the
 * simulator's oracle, runs beyond the bounds above. `file` names the scenario in the message.
 */
export function checkLiveScenario(scenario: Scenario, protocol: ProtocolDefinition<any, any>, file: string): void {
  const at = (path: string, message: string): never => {
    throw new InputError(`${file}: ${path}`, message);
  };
  if (protocol.wire === undefined) at("/protocol/name", `protocol "${protocol.name}" has no wire format (a WireFormat in its definition), so its messages cannot go on a socket`);
  if (scenario.storage !== null) at("/storage", "a live run carries the lookup layer only: the storage layer's messages have no wire format yet (run it with npm run sim)");
  if (scenario.start === "converged") at("/start", 'a converged start hands every node the whole membership, which no deployed node has; use "join" live');
  if (scenario.protocol.options.timeouts === "oracle") at("/protocol/timeouts", 'oracle timeouts need true round-trip times that no real network gives; use "tcp", "vivaldi" or "fixed" live');
  const population = scenario.churn.process === "trace" ? 0 : scenario.nodes;
  if (population > LIVE_MAX_NODES) at("/nodes", `a live run holds a socket per node on this machine: at most ${LIVE_MAX_NODES} nodes, got ${population}`);
  if (scenario.durationMs > LIVE_MAX_DURATION_MS) at("/duration", `a live run takes as long as it simulates: at most ${LIVE_MAX_DURATION_MS / 3600_000} h, got ${(scenario.durationMs / 3600_000).toFixed(1)} h`);
}
