import type { Address } from "../../sim/runtime.js";
import { clockwise, closerTo, type Peer } from "../common/identifiers.js";

/**
 * The leaf set: the `perSide` nodes closest to us clockwise (successors) and counter-clockwise (predecessors),
 * each side sorted nearest first. It decides ownership: a key within its range belongs to the closest of its
 * members or to us.
 */
export class LeafSet {
  /** Nearest first. */
  readonly successors: Peer[] = [];
  readonly predecessors: Peer[] = [];

  constructor(
    private readonly self: Peer,
    private readonly perSide: number,
  ) {}

  get size(): number {
    return this.successors.length + this.predecessors.length;
  }

  /** Every member once (a node may sit on both sides in a small network). */
  members(): Peer[] {
    const out = this.successors.slice();
    for (const p of this.predecessors) if (!out.some((s) => s.address === p.address)) out.push(p);
    return out;
  }

  has(address: Address): boolean {
    return this.successors.some((p) => p.address === address) || this.predecessors.some((p) => p.address === address);
  }

  private succDistance(p: Peer): bigint {
    return clockwise(this.self.value, p.value);
  }

  private predDistance(p: Peer): bigint {
    return clockwise(p.value, this.self.value);
  }

  /** Would `p` enter the leaf set (on either side)? */
  promising(p: Peer): boolean {
    if (p.address === this.self.address || this.has(p.address)) return false;
    return this.fits(this.successors, p, (x) => this.succDistance(x)) || this.fits(this.predecessors, p, (x) => this.predDistance(x));
  }

  private fits(side: Peer[], p: Peer, distance: (x: Peer) => bigint): boolean {
    return side.length < this.perSide || distance(p) < distance(side[side.length - 1]);
  }

  /** Adds `p` where it belongs; returns true when the leaf set changed. Evicted nodes simply drop out. */
  add(p: Peer): boolean {
    if (p.address === this.self.address || p.value === this.self.value) return false;
    const a = this.insert(this.successors, p, (x) => this.succDistance(x));
    const b = this.insert(this.predecessors, p, (x) => this.predDistance(x));
    return a || b;
  }

  private insert(side: Peer[], p: Peer, distance: (x: Peer) => bigint): boolean {
    if (side.some((x) => x.address === p.address)) return false;
    if (!this.fits(side, p, distance)) return false;
    const d = distance(p);
    let i = 0;
    while (i < side.length && distance(side[i]) < d) i++;
    side.splice(i, 0, p);
    if (side.length > this.perSide) side.pop();
    return true;
  }

  /** Removes a node from both sides; returns true when it was there. */
  remove(address: Address): boolean {
    const before = this.size;
    const keep = (p: Peer) => p.address !== address;
    const s = this.successors.filter(keep);
    const q = this.predecessors.filter(keep);
    this.successors.splice(0, this.successors.length, ...s);
    this.predecessors.splice(0, this.predecessors.length, ...q);
    return this.size !== before;
  }

  /**
   * Is `key` within the range the leaf set covers (from the farthest predecessor to the farthest successor)?
   * While a side is not full, or the sides overlap, we know every node, so the whole ring is covered.
   */
  covers(key: bigint): boolean {
    if (this.successors.length < this.perSide || this.predecessors.length < this.perSide) return true;
    // Sides that share a member wrap round the whole ring (a network of at most 2k nodes).
    const farthestSuccessor = this.successors[this.successors.length - 1];
    if (this.predecessors.some((p) => p.address === farthestSuccessor.address)) return true;
    const first = this.predecessors[this.predecessors.length - 1].value;
    const last = this.successors[this.successors.length - 1].value;
    return clockwise(first, key) <= clockwise(first, last);
  }

  /** The member or self closest to `key`, skipping nodes `avoid` rejects (suspected down). */
  closest(key: bigint, avoid?: (p: Peer) => boolean): Peer {
    let best = this.self;
    for (const side of [this.successors, this.predecessors]) {
      for (const p of side) {
        if (avoid?.(p)) continue;
        if (closerTo(key, p.value, best.value)) best = p;
      }
    }
    return best;
  }
}

