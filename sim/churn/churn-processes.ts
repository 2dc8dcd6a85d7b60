import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import { usFromMs } from "../engine/sim-time.js";
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
  /**
   * The node's current incarnation: the number of its latest session (1 for its first), or 0 once it has departed
   * for good. With `alive`, it tells whether an event scheduled for one incarnation still concerns the node.
   */
  incarnation(address: Address): number;
}

/**
 * A running churn process: the owner of every node's fate. Nodes started by anyone else (a fault's replacements)
 * are handed to it, so that they depart and return as the process says, like every other node.
 */
export interface ChurnProcess {
  adopt(address: Address): void;
}

const INDIFFERENT: ChurnProcess = { adopt() {} };

/**
 * Starts the churn process of a scenario. The initial population has already joined by `startMs`; from then
 * on nodes depart and arrive according to the process. Renewal processes begin in equilibrium: nodes alive at
 * `startMs` get residual lifetimes, not fresh ones.
 *
 * Every scheduled departure or return names the incarnation it was scheduled for; when that incarnation has
 * ended otherwise (a mass failure), the event is dropped, so a node's fate has one owner at a time.
 */
export function startChurn(
  spec: ChurnSpec,
  population: Population,
  scheduler: Scheduler,
  rng: SeededRandom,
  startMs: number,
  trace: readonly TraceEvent[] | null,
): ChurnProcess {
  switch (spec.process) {
    case "none":
      return INDIFFERENT;
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
 * It draws its victims from whoever is alive, so it needs to know no node in particular.
 */
function startReplacement(tMedMs: number, population: Population, scheduler: Scheduler, rng: SeededRandom, startMs: number): ChurnProcess {
  const n = population.alive.size;
  if (n === 0) return INDIFFERENT;
  const meanGapMs = tMedMs / (n * Math.LN2);
  const replace = () => {
    const alive = population.alive;
    if (alive.size > 0) {
      population.kill(alive.at(rng.int(alive.size)), false);
      population.spawn();
    }
    scheduler.after(usFromMs(rng.exponential(meanGapMs)), replace);
  };
  scheduler.schedule(usFromMs(startMs) + usFromMs(rng.exponential(meanGapMs)), replace);
  return INDIFFERENT;
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
): ChurnProcess {
  const sessions: Distribution = makeDistribution(sessionSpec);
  const downtime: Distribution | null = downtimeSpec === null ? null : makeDistribution(downtimeSpec);
  // The incarnation an event concerns travels as the event's second argument: no allocation per event.
  const depart = (address: Address, incarnation: number) => {
    if (!population.alive.has(address) || population.incarnation(address) !== incarnation) return;
    population.kill(address, downtime !== null);
    if (downtime === null) adopt(population.spawn());
    else scheduleDraw(scheduler, scheduler.nowUs, downtime.sample(rng), returnNode, address, incarnation);
  };
  const returnNode = (address: Address, incarnation: number) => {
    if (population.alive.has(address) || population.incarnation(address) !== incarnation) return;
    population.revive(address);
    adopt(address);
  };
  const adopt = (address: Address) => scheduleDraw(scheduler, scheduler.nowUs, sessions.sample(rng), depart, address, population.incarnation(address));
  const initial: Address[] = [];
  for (let i = 0; i < population.alive.size; i++) initial.push(population.alive.at(i));
  for (const address of initial) scheduleDraw(scheduler, usFromMs(startMs), sessions.residual(rng), depart, address, population.incarnation(address));
  return { adopt };
}

/**
 * Schedules `handler` a drawn delay after `fromUs`, unless the delay outlasts what the clock counts (2^53 µs, 285
 * years), as a heavy-tailed session may: that node simply never departs.
 */
function scheduleDraw(scheduler: Scheduler, fromUs: number, delayMs: number, handler: (address: Address, incarnation: number) => void, address: Address, incarnation: number): void {
  const at = fromUs + usFromMs(delayMs);
  if (Number.isSafeInteger(at)) scheduler.schedule(at, handler, address, incarnation);
}

/**
 * Replays a trace one event at a time, so a long trace costs one pending event, not one per line. A node that a
 * fault took down for good ignores the rest of its trace; nodes started by faults live until a fault or the end.
 */
function replayTrace(events: readonly TraceEvent[], population: Population, scheduler: Scheduler): ChurnProcess {
  const addresses = new Map<string, Address>();
  let next = 0;
  const apply = () => {
    const e = events[next++];
    const known = addresses.get(e.node);
    if (known === undefined) {
      if (e.event === "join") addresses.set(e.node, population.spawn(e.node));
    } else if (population.incarnation(known) !== 0) {
      // A trace may bring any node back.
      if (e.event === "leave") population.kill(known, true);
      else population.revive(known);
    }
    if (next < events.length) scheduler.schedule(usFromMs(events[next].timeMs), apply);
  };
  scheduler.schedule(usFromMs(events[0].timeMs), apply);
  return INDIFFERENT;
}
