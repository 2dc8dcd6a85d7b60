import type { Address, Contact, NodeRuntime } from "../sim/runtime/index.js";

/**
 * Calls `round` every `periodMs` + U(0, `periodMs`), the first after one such wait: how Bamboo's DataManager times
 * its anti-entropy and hand-off, so that nodes started together drift apart.
 */
export function everyJittered(rt: NodeRuntime, periodMs: number, round: () => void): void {
  const tick = () => {
    round();
    rt.setTimer(periodMs + rt.random.next() * periodMs, tick);
  };
  rt.setTimer(periodMs + rt.random.next() * periodMs, tick);
}

/** Drops from `byNeighbour` what it keeps about nodes no longer among `neighbours`. */
export function forgetFormerNeighbours(byNeighbour: Map<Address, unknown>, neighbours: readonly Contact[]): void {
  if (byNeighbour.size === 0) return;
  const present = new Set<Address>();
  for (const c of neighbours) present.add(c.address);
  for (const a of byNeighbour.keys()) if (!present.has(a)) byNeighbour.delete(a);
}
