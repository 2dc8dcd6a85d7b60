import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import type { SimNode } from "../engine/sim-node.js";
import { usFromMs } from "../engine/sim-time.js";
import type { Network } from "../network/network.js";
import type { Address } from "../runtime/node-runtime.js";
import type { Fault } from "../scenario/scenario.js";
import type { Population } from "./churn-processes.js";

/** What fault injection acts on. */
export interface FaultTarget extends Population {
  node(address: Address): SimNode;
  /** Starts a fresh node in place of a failed one; from then on the churn process decides its fate. */
  replace(): void;
}

/**
 * Schedules a scenario's injected faults. A partition drops every message sent between the two groups of hosts
 * while it lasts; a mass failure kills a share of the live nodes at once (fresh nodes replace them later, or
 * never); a loss burst raises the loss probability; a slowdown caps the uplink of a share of the live nodes.
 */
export function scheduleFaults(
  faults: readonly Fault[],
  target: FaultTarget,
  network: Network,
  hosts: number,
  scheduler: Scheduler,
  rng: SeededRandom,
): void {
  for (const fault of faults) {
    switch (fault.type) {
      case "partition":
        scheduler.schedule(usFromMs(fault.atMs), () => {
          const side = new Uint8Array(hosts);
          const order = rng.shuffleInPlace(Array.from({ length: hosts }, (_, h) => h));
          for (let i = 0; i < Math.round(fault.fraction * hosts); i++) side[order[i]] = 1;
          network.partition = side;
        });
        scheduler.schedule(usFromMs(fault.untilMs), () => (network.partition = null));
        break;
      case "mass-failure":
        scheduler.schedule(usFromMs(fault.atMs), () => {
          const victims = pickLive(target, fault.fraction, rng);
          // Fresh nodes replace the victims, if anyone does: the victims never return, and the events churn held
          // for them are dropped.
          for (const address of victims) target.kill(address, false);
          if (fault.replaceAfterMs === null) return;
          const spacingMs = 60_000 / Math.max(1, victims.length);
          for (let i = 0; i < victims.length; i++) scheduler.after(usFromMs(fault.replaceAfterMs + i * spacingMs), () => target.replace());
        });
        break;
      case "loss": {
        let before = 0;
        scheduler.schedule(usFromMs(fault.atMs), () => {
          before = network.lossRate;
          network.lossRate = fault.rate;
        });
        scheduler.schedule(usFromMs(fault.untilMs), () => (network.lossRate = before));
        break;
      }
      case "slowdown": {
        let slowed: Address[] = [];
        scheduler.schedule(usFromMs(fault.atMs), () => {
          slowed = pickLive(target, fault.fraction, rng);
          for (const address of slowed) target.node(address).uplinkOverrideBps = fault.uplinkBps;
        });
        scheduler.schedule(usFromMs(fault.untilMs), () => {
          for (const address of slowed) target.node(address).uplinkOverrideBps = 0;
        });
        break;
      }
    }
  }
}

/** A uniformly random `fraction` of the live nodes. */
function pickLive(target: FaultTarget, fraction: number, rng: SeededRandom): Address[] {
  const alive: Address[] = [];
  for (let i = 0; i < target.alive.size; i++) alive.push(target.alive.at(i));
  return rng.shuffleInPlace(alive).slice(0, Math.round(fraction * alive.length));
}
