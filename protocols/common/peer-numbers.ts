import type { Address } from "../../sim/runtime/index.js";

const EMPTY = -1;
const DELETED = -2;

/**
 * A few numbers per peer (an RTT estimate and its kin) in an open-addressing hash table (linear probing) held in
 * one typed array: each slot is the peer's address followed by its numbers. No object and no boxed number per
 * peer, and a lookup — one for every request, reply and contact judged — reads one array and, usually, one cache
 * line of it: at thousands of nodes every node's table is cold.
 */
export class PeerNumbers {
  /** Slot i holds, from offset i × stride: the peer's address (or EMPTY / DELETED), then `width` numbers. */
  private slots: Float64Array;
  private readonly stride: number;
  private capacity = 8;
  private count = 0;
  private deleted = 0;

  constructor(width: number) {
    this.stride = width + 1;
    this.slots = emptySlots(this.capacity, this.stride);
  }

  private slotOf(peer: Address): number {
    const mask = this.capacity - 1;
    const stride = this.stride;
    let i = Math.imul(peer, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= mask;
      const k = this.slots[i * stride];
      if (k === peer || k === EMPTY) return i;
      i++;
    }
  }

  /** Offset of the peer's numbers in `values`, or −1. */
  find(peer: Address): number {
    if (peer < 0) return -1;
    const at = this.slotOf(peer) * this.stride;
    return this.slots[at] === peer ? at + 1 : -1;
  }

  /**
   * Numbers for a peer not yet held (their values are left over: set them all); returns their offset. `values` may
   * be a new array afterwards, and offsets found before are stale.
   */
  insert(peer: Address): number {
    // Addresses index the engine's nodes; the table's markers are negative.
    if (!(peer >= 0 && peer <= 0x7fffffff)) throw new RangeError(`peer address must be an integer in [0, 2^31), got ${peer}`);
    // At most 3/4 of the slots in use, deleted ones included, so that probe runs stay short; twice the slots only
    // once 5/8 are live, so that a table of ~150 peers (Bamboo's) stays at 256 slots.
    if (4 * (this.count + this.deleted + 1) > 3 * this.capacity) {
      this.rehash(8 * (this.count + 1) > 5 * this.capacity ? 2 * this.capacity : this.capacity);
    }
    // The first free slot on the peer's probe run, a deleted one included (the peer is not held).
    const mask = this.capacity - 1;
    const stride = this.stride;
    let i = Math.imul(peer, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= mask;
      if (this.slots[i * stride] < 0) break;
      i++;
    }
    const at = i * stride;
    if (this.slots[at] === DELETED) this.deleted--;
    this.slots[at] = peer;
    this.count++;
    return at + 1;
  }

  delete(peer: Address): void {
    if (peer < 0) return;
    const at = this.slotOf(peer) * this.stride;
    if (this.slots[at] !== peer) return;
    this.slots[at] = DELETED;
    this.deleted++;
    this.count--;
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    const stride = this.stride;
    this.slots = emptySlots(capacity, stride);
    this.capacity = capacity;
    this.deleted = 0;
    for (let from = 0; from < old.length; from += stride) {
      if (old[from] < 0) continue;
      const to = this.slotOf(old[from]) * stride;
      for (let f = 0; f < stride; f++) this.slots[to + f] = old[from + f];
    }
  }

  /** The table itself: a peer's numbers are at the offsets `find` and `insert` return. */
  get values(): Float64Array {
    return this.slots;
  }
}

function emptySlots(capacity: number, stride: number): Float64Array {
  const slots = new Float64Array(capacity * stride);
  for (let at = 0; at < slots.length; at += stride) slots[at] = EMPTY;
  return slots;
}
