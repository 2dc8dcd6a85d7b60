import type { Address } from "../../sim/runtime/index.js";

/**
 * Contacts whose requests timed out lately. Other nodes' replies keep naming a dead contact until each of them
 * has timed out on it in turn; remembering our own timeouts for a while lets a lookup leave such a contact out
 * of its shortlist instead of waiting out its RTO again. Hearing from the contact clears it (a node returning
 * under its old address is welcome at once).
 */
export class RecentlyFailed {
  private readonly since = new Map<Address, number>();

  constructor(private readonly forMs: number) {}

  add(address: Address, now: number): void {
    if (this.forMs > 0) this.since.set(address, now);
  }

  clear(address: Address): void {
    this.since.delete(address);
  }

  has(address: Address, now: number): boolean {
    const at = this.since.get(address);
    if (at === undefined) return false;
    if (now - at < this.forMs) return true;
    this.since.delete(address);
    return false;
  }

  /** Forgets those remembered for longer than the period, so the memory stays as small as the churn it saw. */
  prune(now: number): void {
    for (const [address, at] of this.since) if (now - at >= this.forMs) this.since.delete(address);
  }

  get size(): number {
    return this.since.size;
  }
}
