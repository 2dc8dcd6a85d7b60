import type { Address } from "../../sim/runtime/index.js";

/**
 * A set of a few addresses kept as a list in one typed array and scanned. For the handful a node holds at a time
 * (the peers it has a probe out to), scanning a cache line or two is cheaper than a hash table, and adding and
 * removing allocate nothing, where a `Map` reallocates its table as it grows and shrinks.
 */
export class AddressList {
  private items = new Int32Array(8);
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(address: Address): boolean {
    return this.indexOf(address) >= 0;
  }

  /** Adds `address`; false if it was already held. */
  add(address: Address): boolean {
    if (this.indexOf(address) >= 0) return false;
    if (!(address >= 0 && address <= 0x7fffffff)) throw new RangeError(`address must be an integer in [0, 2^31), got ${address}`);
    if (this.count === this.items.length) {
      const items = new Int32Array(2 * this.count);
      items.set(this.items);
      this.items = items;
    }
    this.items[this.count++] = address;
    return true;
  }

  /** Removes `address`; false if it was not held. The last entry takes its place: the order is not kept. */
  delete(address: Address): boolean {
    const i = this.indexOf(address);
    if (i < 0) return false;
    this.items[i] = this.items[--this.count];
    return true;
  }

  private indexOf(address: Address): number {
    const items = this.items;
    for (let i = 0; i < this.count; i++) if (items[i] === address) return i;
    return -1;
  }
}
