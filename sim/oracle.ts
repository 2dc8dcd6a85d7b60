import { clockwiseDistance, type Id, ringDistance } from "./ids.js";
import type { Ownership } from "./runtime.js";

/**
 * The simulator's global knowledge of which joined nodes are alive, kept sorted by identifier, so that every
 * lookup can be judged against the true owner of its key at the moment it completes.
 */
export class OwnerOracle {
  private readonly ids: Id[] = [];

  constructor(private readonly ownership: Ownership) {}

  get size(): number {
    return this.ids.length;
  }

  add(id: Id): void {
    const i = this.lowerBound(id);
    if (this.ids[i] === id) throw new Error(`oracle: identifier ${id} is already present`);
    this.ids.splice(i, 0, id);
  }

  remove(id: Id): void {
    const i = this.lowerBound(id);
    if (this.ids[i] !== id) throw new Error(`oracle: identifier ${id} is not present`);
    this.ids.splice(i, 1);
  }

  /** The owner of `key` among the nodes present, or null when there are none. */
  owner(key: Id): Id | null {
    const n = this.ids.length;
    if (n === 0) return null;
    const i = this.lowerBound(key);
    if (this.ownership === "xor") return this.xorClosest(key);
    const successor = this.ids[i % n];
    if (this.ownership === "successor") return successor;
    const predecessor = this.ids[(i - 1 + n) % n];
    const ds = ringDistance(successor, key);
    const dp = ringDistance(predecessor, key);
    if (ds !== dp) return ds < dp ? successor : predecessor;
    // Equidistant: the one clockwise from the key, a fixed rule so the judgement never depends on order.
    return clockwiseDistance(key, successor) <= clockwiseDistance(key, predecessor) ? successor : predecessor;
  }

  /**
   * The identifier with the smallest XOR distance to `key`: descend the implicit binary trie of the sorted
   * identifiers, at each bit keeping the half that agrees with the key's bit when it is not empty.
   */
  private xorClosest(key: Id): Id {
    let lo = 0;
    let hi = this.ids.length;
    for (let bit = 0; bit < 160 && hi - lo > 1; bit++) {
      // Within [lo, hi) all identifiers share the bits above `bit`, so those with the bit set come last.
      let a = lo;
      let b = hi;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (bitAt(this.ids[mid], bit) === 0) a = mid + 1;
        else b = mid;
      }
      const wantOne = bitAt(key, bit) === 1;
      if (wantOne ? a < hi : a > lo) {
        if (wantOne) lo = a;
        else hi = a;
      } else if (wantOne) hi = a;
      else lo = a;
    }
    return this.ids[lo];
  }

  private lowerBound(id: Id): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function bitAt(id: Id, bit: number): number {
  return (parseInt(id[bit >> 2], 16) >> (3 - (bit & 3))) & 1;
}
