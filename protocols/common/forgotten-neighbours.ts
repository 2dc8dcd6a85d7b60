import type { Address } from "../../sim/runtime/index.js";
import type { Peer } from "./identifiers.js";

/** A neighbour given up on (for Bamboo, its second chance ended without an answer), remembered until `expires`. */
interface Forgotten {
  readonly peer: Peer;
  readonly expires: number;
}

/**
 * Neighbours a node gave up on, kept for healing: after a partition or a long loss burst each side has forgotten
 * the other, and these are the only nodes it still knows across the cut. Bounded, the oldest dropped first, and
 * handed out in turn for re-probing, so that each is tried as often as the list's length allows and no random
 * draw is spent (the node's random stream stays as it was with healing off).
 */
export class ForgottenNeighbours {
  /** Oldest (or least recently handed out) first. */
  private readonly queue: Forgotten[] = [];

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.queue.length;
  }

  add(peer: Peer, expires: number): void {
    this.delete(peer.address);
    this.queue.push({ peer, expires });
    if (this.queue.length > this.capacity) this.queue.shift();
  }

  delete(address: Address): void {
    const i = this.queue.findIndex((f) => f.peer.address === address);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** The next node to re-probe, moved to the back of the queue; entries past their time are dropped. Null: none. */
  next(now: number): Peer | null {
    while (this.queue.length > 0) {
      const f = this.queue.shift() as Forgotten;
      if (f.expires <= now) continue;
      this.queue.push(f);
      return f.peer;
    }
    return null;
  }
}
