import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import type { Address } from "../runtime/node-runtime.js";
import type { ChurnSpec } from "../scenario/scenario.js";
import type { TraceEvent } from "./churn-trace.js";
import { type Distribution, makeDistribution } from "./distributions.js";
import type { LiveSet } from "./live-set.js";

/** What churn acts on: the simulation's population of nodes. */
export interface Population {
  readonly alive: LiveSet;
  /** Start a fresh node (new address, identifier and host) that joins through a live node. */
  spawn(label?: string): Address;
  /** Bring back a departed node under its old identity, with empty protocol state. */
  revive(address: Address): void;
  /**
   * The node departs at once, without notice. `returns`: it may come back under the same address (revive); when
   * it never will, messages sent to it afterwards are lost as they leave, without an event for their arrival.
   */
  kill(address: Address, returns: boolean): void;
}

/**
 * Starts the churn process of a scenario. The initial population has already joined by `startMs`; from then
 * on nodes depart and arrive according to the process. Renewal processes begin in equilibrium: nodes alive at
 * `startMs` get residual lifetimes, not fresh ones.
 */
export function startChurn(
  spec: ChurnSpec,
  population: Population,
  scheduler: Scheduler,
  rng: SeededRandom,
  startMs: number,
  trace: readonly TraceEvent[] | null,
): void {
  switch (spec.process) {
    case "none":
      return;
    case "replacement":
      return startReplacement(spec.tMedMs, population, scheduler, rng, startMs);
    case "lifetime":
      return startLifetimes(spec.sessions, spec.downtime, population, scheduler, rng, startMs);
    case "trace":
      return replayTrace(trace as readonly TraceEvent[], population, scheduler);
  }
}

/**
 * The paper's process: departures form a Poisson process of rate λ = N·ln2 / tMed; each removes a uniformly
 * random live node and starts a fresh one, so N stays constant and sessions are exponential with median tMed.
 */
function startReplacement(tMedMs: number, population: Population, scheduler: Scheduler, rng: SeededRandom, startMs: number): void {
  const n = population.alive.size;
  if (n === 0) return;
  const meanGapMs = tMedMs / (n * Math.LN2);
  const replace = () => {
    const alive = population.alive;
    if (alive.size > 0) {
      population.kill(alive.at(rng.int(alive.size)), false);
      population.spawn();
    }
    scheduler.after(rng.exponential(meanGapMs), replace);
  };
  scheduler.schedule(startMs + rng.exponential(meanGapMs), replace);
}

/**
 * A renewal process per node: each session lasts a draw from `sessions`. At its end the node is replaced by a
 * fresh one, or, when `downtime` is given, it returns under the same identity after a draw from `downtime`.
 */
function startLifetimes(
  sessionSpec: Parameters<typeof makeDistribution>[0],
  downtimeSpec: Parameters<typeof makeDistribution>[0] | null,
  population: Population,
  scheduler: Scheduler,
  rng: SeededRandom,
  startMs: number,
): void {
  const sessions: Distribution = makeDistribution(sessionSpec);
  const downtime: Distribution | null = downtimeSpec === null ? null : makeDistribution(downtimeSpec);
  const depart = (address: Address) => {
    population.kill(address, downtime !== null);
    if (downtime === null) {
      scheduler.after(sessions.sample(rng), depart, population.spawn());
    } else {
      scheduler.after(downtime.sample(rng), returnNode, address);
    }
  };
  const returnNode = (address: Address) => {
    population.revive(address);
    scheduler.after(sessions.sample(rng), depart, address);
  };
  const initial: Address[] = [];
  for (let i = 0; i < population.alive.size; i++) initial.push(population.alive.at(i));
  for (const address of initial) scheduler.schedule(startMs + sessions.residual(rng), depart, address);
}

/** Replays a trace one event at a time, so a long trace costs one pending event, not one per line. */
function replayTrace(events: readonly TraceEvent[], population: Population, scheduler: Scheduler): void {
  const addresses = new Map<string, Address>();
  let next = 0;
  const apply = () => {
    const e = events[next++];
    const known = addresses.get(e.node);
    // A trace may bring any node back.
    if (e.event === "leave") population.kill(known as Address, true);
    else if (known === undefined) addresses.set(e.node, population.spawn(e.node));
    else population.revive(known);
    if (next < events.length) scheduler.schedule(events[next].timeMs, apply);
  };
  scheduler.schedule(events[0].timeMs, apply);
}
