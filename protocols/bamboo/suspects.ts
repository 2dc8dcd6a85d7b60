import type { Address } from "../../sim/runtime/index.js";
import type { Peer } from "../common/identifiers.js";

/** A neighbour that failed to answer, probed until its second chance ends at `deadline`. */
export interface Suspect {
  readonly peer: Peer;
  readonly deadline: number;
}

/**
 * The neighbours a node suspects are down. Every message received, every contact heard of and every routing
 * choice asks whether a node is among them, and the answer is almost always no; a 32-bit filter of the addresses
 * held (one bit each, by a hash) gives most of those answers without touching the map, which at thousands of
 * nodes is a cache miss each time.
 */
export class Suspects {
  private readonly byAddress = new Map<Address, Suspect>();
  private filter = 0;

  get size(): number {
    return this.byAddress.size;
  }

  has(address: Address): boolean {
    return (this.filter & filterBit(address)) !== 0 && this.byAddress.has(address);
  }

  get(address: Address): Suspect | undefined {
    return (this.filter & filterBit(address)) === 0 ? undefined : this.byAddress.get(address);
  }

  add(peer: Peer, deadline: number): void {
    this.byAddress.set(peer.address, { peer, deadline });
    this.filter |= filterBit(peer.address);
  }

  delete(address: Address): void {
    if (!this.byAddress.delete(address)) return;
    // Other suspects may share the bit: the filter is made again from those left (a few at most).
    this.filter = 0;
    this.byAddress.forEach((_s, a) => (this.filter |= filterBit(a)));
  }
}

function filterBit(address: Address): number {
  return 1 << (Math.imul(address, 0x9e3779b1) >>> 27);
}
