import type { Address } from "../../sim/runtime.js";

const EMPTY = -1;
const DELETED = -2;

/**
 * A few numbers per peer (an RTT estimate and its kin), kept in one typed array, with a hash table from peer to
 * row in typed arrays too (open addressing, linear probing): no object and no boxed number per peer, and a
 * lookup — one for every request, reply and contact judged — usually reads a single cache line.
 */
export class PeerNumbers {
  /** Hash slots: the peer's address (or EMPTY / DELETED) and its row. */
  private keys = new Int32Array(8).fill(EMPTY);
  private slotRows = new Int32Array(8);
  private count = 0;
  private deleted = 0;
  private data: Float64Array;
  private readonly freeRows: number[] = [];
  private nextRow = 0;

  constructor(private readonly width: number) {
    this.data = new Float64Array(width * 8);
  }

  private slotOf(peer: Address): number {
    const mask = this.keys.length - 1;
    let i = Math.imul(peer, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= mask;
      const k = this.keys[i];
      if (k === peer || k === EMPTY) return i;
      i++;
    }
  }

  /** Offset of the peer's row in `values`, or −1. */
  find(peer: Address): number {
    if (peer < 0) return -1;
    const i = this.slotOf(peer);
    return this.keys[i] === peer ? this.slotRows[i] * this.width : -1;
  }

  /** A row for a peer not yet held; returns its offset. `values` may be a new array afterwards. */
  insert(peer: Address): number {
    // Addresses index the engine's nodes; the table's markers are negative.
    if (!(peer >= 0 && peer <= 0x7fffffff)) throw new RangeError(`peer address must be an integer in [0, 2^31), got ${peer}`);
    // At most half the slots in use, deleted ones included, so that probe runs stay short.
    if (2 * (this.count + this.deleted + 1) > this.keys.length) this.rehash(4 * (this.count + 1) > this.keys.length ? 2 * this.keys.length : this.keys.length);
    let row = this.freeRows.pop();
    if (row === undefined) {
      row = this.nextRow++;
      if (row * this.width >= this.data.length) {
        const grown = new Float64Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
    }
    // The first free slot on the peer's probe run, a deleted one included (the peer is not held).
    const mask = this.keys.length - 1;
    let i = Math.imul(peer, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= mask;
      if (this.keys[i] < 0) break;
      i++;
    }
    if (this.keys[i] === DELETED) this.deleted--;
    this.keys[i] = peer;
    this.slotRows[i] = row;
    this.count++;
    return row * this.width;
  }

  delete(peer: Address): void {
    if (peer < 0) return;
    const i = this.slotOf(peer);
    if (this.keys[i] !== peer) return;
    this.keys[i] = DELETED;
    this.deleted++;
    this.count--;
    this.freeRows.push(this.slotRows[i]);
  }

  private rehash(capacity: number): void {
    const keys = this.keys;
    const rows = this.slotRows;
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.slotRows = new Int32Array(capacity);
    this.deleted = 0;
    for (let j = 0; j < keys.length; j++) {
      if (keys[j] < 0) continue;
      const i = this.slotOf(keys[j]);
      this.keys[i] = keys[j];
      this.slotRows[i] = rows[j];
    }
  }

  get values(): Float64Array {
    return this.data;
  }
}
