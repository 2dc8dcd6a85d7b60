import { createRequire } from "node:module";
import { clockwiseDistance, ID_BITS, type Id, ringDistance } from "../runtime/ids.js";
import type { Ownership } from "../runtime/protocol-definition.js";

// A CommonJS package whose class is its `default` export: required, so that Node and the test runner agree on it.
const { default: BTree, simpleComparator } = createRequire(import.meta.url)("sorted-btree") as typeof import("sorted-btree");

/**
 * The simulator's global knowledge of which joined nodes are alive, kept sorted by identifier, so that every
 * lookup can be judged against the true owner of its key at the moment it completes. The identifiers sit in a
 * B+ tree: every join and departure changes the set, which would cost O(N) each in a sorted array.
 */
export class OwnerOracle {
  private readonly ids = new BTree<Id, undefined>(undefined, simpleComparator);
  /** Reused for the tree's answers, which come as (key, value) pairs. */
  private readonly pair: [Id, undefined] = ["", undefined];

  constructor(private readonly ownership: Ownership) {}

  get size(): number {
    return this.ids.size;
  }

  add(id: Id): void {
    if (!this.ids.setIfNotPresent(id, undefined)) throw new Error(`oracle: identifier ${id} is already present`);
  }

  remove(id: Id): void {
    if (!this.ids.delete(id)) throw new Error(`oracle: identifier ${id} is not present`);
  }

  /** The owner of `key` among the nodes present, or null when there are none. */
  owner(key: Id): Id | null {
    if (this.ids.size === 0) return null;
    if (this.ownership === "xor") return this.xorClosest(key);
    const successor = this.atOrAfter(key) ?? (this.ids.minKey() as Id);
    if (this.ownership === "successor") return successor;
    const predecessor = this.ids.nextLowerKey(key) ?? (this.ids.maxKey() as Id);
    const ds = ringDistance(successor, key);
    const dp = ringDistance(predecessor, key);
    if (ds !== dp) return ds < dp ? successor : predecessor;
    // Equidistant: the one clockwise from the key, a fixed rule so the judgement never depends on order.
    return clockwiseDistance(key, successor) <= clockwiseDistance(key, predecessor) ? successor : predecessor;
  }

  /** The first identifier at or after `key`, without wrapping round: one descent of the tree. */
  private atOrAfter(key: Id): Id | undefined {
    return this.ids.getPairOrNextHigher(key, this.pair)?.[0];
  }

  /**
   * The identifier with the smallest XOR distance to `key`. The identifiers sharing the longest prefix with a
   * target are next to it in sorted order; none of them has the target's next bit (or the prefix would be
   * longer), so the closest to the target is the closest to the target with that bit flipped, which shares a
   * longer prefix with them. Repeat until the target is an identifier present, or the longest-prefix group is a
   * single identifier.
   */
  private xorClosest(key: Id): Id {
    let target = key;
    for (;;) {
      const after = this.atOrAfter(target);
      if (after === target) return target;
      const before = this.ids.nextLowerKey(target);
      const shareAfter = after === undefined ? -1 : sharedBits(after, target);
      const shareBefore = before === undefined ? -1 : sharedBits(before, target);
      const [best, shared] = shareAfter >= shareBefore ? [after as Id, shareAfter] : [before as Id, shareBefore];
      const lower = this.ids.nextLowerKey(best);
      const higher = this.ids.nextHigherKey(best);
      const alone = (lower === undefined || sharedBits(lower, best) < shared) && (higher === undefined || sharedBits(higher, best) < shared);
      if (alone) return best;
      target = withBitFlipped(target, shared);
    }
  }
}

/** How many leading bits two identifiers share (ID_BITS when equal). */
function sharedBits(a: Id, b: Id): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return 4 * i + Math.clz32(parseInt(a[i], 16) ^ parseInt(b[i], 16)) - 28;
  }
  return ID_BITS;
}

function withBitFlipped(id: Id, bit: number): Id {
  const digit = bit >> 2;
  const flipped = parseInt(id[digit], 16) ^ (8 >> (bit & 3));
  return id.slice(0, digit) + flipped.toString(16) + id.slice(digit + 1);
}
