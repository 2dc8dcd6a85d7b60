import type { Address } from "../../sim/runtime/index.js";
import { below, clockwiseBefore, closerTo, type Peer, type RingPoint, topClockwise } from "../common/identifiers.js";

/**
 * The leaf set: the `perSide` nodes closest to us clockwise (successors) and counter-clockwise (predecessors),
 * each side sorted nearest first. It decides ownership: a key within its range belongs to the closest of its
 * members or to us.
 */
export class LeafSet {
  /** Nearest first. */
  readonly successors: Peer[] = [];
  readonly predecessors: Peer[] = [];
  /** Counts changes, so that what is derived from the members can be kept until they change. */
  version = 0;
  private cachedMembers: readonly Peer[] = [];
  private membersVersion = -1;

  constructor(
    private readonly self: Peer,
    private readonly perSide: number,
  ) {}

  get size(): number {
    return this.successors.length + this.predecessors.length;
  }

  /**
   * Every member once (a node may sit on both sides in a small network). Made again only after a change: nodes
   * ask for it every ping and leaf-set period, and their leaf sets change far less often.
   */
  members(): readonly Peer[] {
    if (this.membersVersion !== this.version) {
      const out = this.successors.slice();
      for (const p of this.predecessors) if (indexOf(out, p.address) < 0) out.push(p);
      this.cachedMembers = out;
      this.membersVersion = this.version;
    }
    return this.cachedMembers;
  }

  // Plain loops here and below: these run for every contact heard of and every hop routed.
  has(address: Address): boolean {
    return indexOf(this.successors, address) >= 0 || indexOf(this.predecessors, address) >= 0;
  }

  /**
   * Would a node enter the leaf set (on either side)? Asked of every contact heard of, so it compares positions
   * on the line of identifiers, not distances round the ring: no ring arithmetic is needed.
   */
  promising(p: Peer): boolean {
    if (p.address === this.self.address) return false;
    // The arcs first: most contacts fall outside them, and then no member need be looked at.
    const full = this.successors.length >= this.perSide && this.predecessors.length >= this.perSide;
    if (full && !withinArc(this.self, p, this.successors[this.successors.length - 1]) && !withinArc(this.predecessors[this.predecessors.length - 1], p, this.self)) {
      return false;
    }
    return !this.has(p.address);
  }

  /** Adds `p` where it belongs; returns true when the leaf set changed. Evicted nodes simply drop out. */
  add(p: Peer): boolean {
    if (p.address === this.self.address || p.id === this.self.id) return false;
    const a = this.insert(this.successors, p, this.nearerSuccessor);
    const b = this.insert(this.predecessors, p, this.nearerPredecessor);
    return a || b;
  }

  // Is `a` nearer to us than `b` on that side? (Neither is us: the distance one way is the ring minus the other.)
  private readonly nearerSuccessor = (a: Peer, b: Peer) => clockwiseBefore(this.self, a, b);
  private readonly nearerPredecessor = (a: Peer, b: Peer) => clockwiseBefore(this.self, b, a);

  private insert(side: Peer[], p: Peer, nearer: (a: Peer, b: Peer) => boolean): boolean {
    if (indexOf(side, p.address) >= 0) return false;
    if (side.length >= this.perSide && !nearer(p, side[side.length - 1])) return false;
    let i = 0;
    while (i < side.length && nearer(side[i], p)) i++;
    side.splice(i, 0, p);
    this.version++;
    if (side.length > this.perSide) side.pop();
    return true;
  }

  /** Removes a node from both sides; returns true when it was there. */
  remove(address: Address): boolean {
    const a = removeFrom(this.successors, address);
    const b = removeFrom(this.predecessors, address);
    if (a || b) this.version++;
    return a || b;
  }

  /**
   * Is `key` within the range the leaf set covers (from the farthest predecessor to the farthest successor)?
   * While a side is not full, or the sides overlap, we know every node, so the whole ring is covered.
   */
  covers(key: RingPoint): boolean {
    if (this.wholeRing()) return true;
    const farthestSuccessor = this.successors[this.successors.length - 1];
    const first = this.predecessors[this.predecessors.length - 1];
    return !clockwiseBefore(first, farthestSuccessor, key);
  }

  /** Do we know every node? So when a side is not full, or the sides share a member (a network of at most 2k nodes). */
  wholeRing(): boolean {
    if (this.successors.length < this.perSide || this.predecessors.length < this.perSide) return true;
    return indexOf(this.predecessors, this.successors[this.successors.length - 1].address) >= 0;
  }

  /**
   * Bamboo's replica set of `key` (its LeafSet.replicas): r/2 nodes on each side of the key — those at or after it
   * clockwise, and those before it — the closest first; only those we know when the set reaches past the leaf set.
   * The caller checks `covers` first. The members and self in ring order, with their clockwise distances from the
   * farthest predecessor, are made once per change, so a key's place among them is a binary search on numbers.
   */
  replicas(key: RingPoint, r: number): Peer[] {
    const ring = this.ringOrder();
    const d = this.ringDistances;
    const origin = ring[0];
    const dk = topClockwise(origin.top, key.top);
    // The first node at or after the key; where the first 52 bits tie, exact ring arithmetic decides.
    let lo = 0;
    let hi = ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d[mid] < dk || (d[mid] === dk && clockwiseBefore(origin, ring[mid], key))) lo = mid + 1;
      else hi = mid;
    }
    const out = ring.slice(Math.max(0, lo - Math.floor(r / 2)), Math.min(ring.length, lo + Math.ceil(r / 2)));
    return out.sort((a, b) => (a === b ? 0 : closerTo(key, a, b) ? -1 : 1));
  }

  private ringCache: Peer[] = [];
  private ringDistances = new Float64Array(0);
  private ringVersion = -1;

  /** From the farthest predecessor clockwise to the farthest successor, self between. */
  private ringOrder(): Peer[] {
    if (this.ringVersion !== this.version) {
      const ring = [...this.predecessors].reverse();
      ring.push(this.self, ...this.successors);
      this.ringCache = ring;
      this.ringDistances = new Float64Array(ring.length);
      for (let i = 0; i < ring.length; i++) this.ringDistances[i] = topClockwise(ring[0].top, ring[i].top);
      this.ringVersion = this.version;
    }
    return this.ringCache;
  }

  /** The member or self closest to `key`, skipping nodes `avoid` rejects (suspected down). */
  closest(key: RingPoint, avoid?: (p: Peer) => boolean): Peer {
    return closestOf(this.predecessors, key, closestOf(this.successors, key, this.self, avoid), avoid);
  }
}


/** Is `x` strictly inside the clockwise arc from `from` to `to`? (Identifiers of one length, lowercase hex.) */
function withinArc(from: RingPoint, x: RingPoint, to: RingPoint): boolean {
  return below(from, to) ? below(from, x) && below(x, to) : below(from, x) || below(x, to);
}

function indexOf(side: readonly Peer[], address: Address): number {
  for (let i = 0; i < side.length; i++) if (side[i].address === address) return i;
  return -1;
}

function closestOf(side: readonly Peer[], key: RingPoint, best: Peer, avoid?: (p: Peer) => boolean): Peer {
  for (let i = 0; i < side.length; i++) {
    const p = side[i];
    if (avoid?.(p)) continue;
    if (closerTo(key, p, best)) best = p;
  }
  return best;
}

function removeFrom(side: Peer[], address: Address): boolean {
  const i = indexOf(side, address);
  if (i < 0) return false;
  side.splice(i, 1);
  return true;
}
