import { createRequire } from "node:module";
import type { Id } from "../sim/runtime/index.js";
import type { StorageDisk } from "../sim/runtime/index.js";
import type { KeyRange } from "./key-range.js";
import { fingerprint, STORED_TUPLE_OVERHEAD_BYTES, type Tuple } from "./tuple.js";

// A CommonJS package whose class is its `default` export: required, so that Node and the test runner agree on it.
const { default: BTree } = createRequire(import.meta.url)("sorted-btree") as typeof import("sorted-btree");

/** What `add` did with a tuple. */
export type AddOutcome =
  /** It is stored: nothing was held for its (key, secret hash, value hash). */
  | "stored"
  /** It replaced the same put (or tombstone) held with an earlier expiry. */
  | "refreshed"
  /** The same put (or tombstone) is held with an expiry at least as late: nothing changed. */
  | "duplicate"
  /** A tombstone: it deleted the put it names and is stored in its place. */
  | "removed"
  /** A put whose tombstone is held: dropped. */
  | "blocked"
  /** Already past its TTL: dropped. */
  | "expired"
  /** A tombstone without a secret hash, which no put can match: dropped. */
  | "rejected";

/** Told of every tuple that enters (+1) or leaves (−1) the store: the shape of `StorageReports.held`. */
export type HeldListener = (key: Id, valueHash: number, remove: boolean, delta: 1 | -1) => void;

/** Slots 0 and 1 are the bounds of range queries, written in place, so that a query allocates no tuple. */
const LOW_PROBE = 0;
const HIGH_PROBE = 1;
const FIRST_SLOT = 2;
/** Next free slot in the free list kept in the size field; 0 ends it (slot 0 is never free). */
const NO_SLOT = 0;

/**
 * A slot's 32 bytes: put time and expiry as doubles (indices 4·slot and 4·slot + 1 of the Float64Array view), then
 * value hash, secret hash, size and the tombstone flag as 32-bit words (8·slot + 4 … 8·slot + 7 of the Uint32Array
 * view). One buffer, not a typed array per field: each typed array costs a few hundred bytes of its own, which at
 * 10,000 nodes is megabytes.
 */
const SLOT_BYTES = 32;
const PUT_TIME = 0;
const EXPIRES = 1;
const VALUE_HASH = 4;
const SECRET_HASH = 5;
const SIZE = 6;
const REMOVE = 7;

/**
 * One node's stored tuples (its replicas and tombstones) under Bamboo's merge rules, with the indexes replication
 * needs: by key (gets, ranges handed off or synchronised) and by put time (Bamboo's Merkle tree).
 *
 * A store can hold many thousands of tuples at each of 10,000 nodes, so tuples are not kept as objects (one costs
 * about 140 bytes in V8: the two times and the unsigned hashes are boxed doubles) but in 32-byte slots of one
 * buffer, and the two indexes are B+ trees of slot numbers: about 70 bytes a tuple all told. The key string is the
 * one the tuple arrived with, not a copy. Tuples handed out (`values`, `tupleAt`, …) are made on demand.
 *
 * Slot numbers reach the Merkle-tree modules through `scanByTime` and `scanKeys`; one is valid until the store
 * next changes.
 */
export class TupleStore implements StorageDisk {
  private keys: Id[] = [];
  /** The slots' times, 4 doubles a slot (2 used). */
  private times = new Float64Array(0);
  /** The slots' words, 8 a slot (the last 4 used); a free slot's size word is its link in the free list. */
  private words = new Uint32Array(0);
  private capacity = 0;
  /** Slots below this have been used. */
  private highWater = FIRST_SLOT;
  private freeHead = NO_SLOT;
  private count = 0;
  private byteTotal = 0;
  /** Slots in (key, value hash, secret hash) order: one tuple at most per triple. */
  private readonly byKey = new BTree<number, undefined>(undefined, (a, b) => this.compareIdentity(a, b));
  /** Slots in (put time, identity) order; the identity breaks ties the same way at every replica. */
  private readonly byTime = new BTree<number, undefined>(undefined, (a, b) => this.compareTime(a, b));
  /** Expired slots met by a scan, deleted once it ends (a B+ tree cannot change under its own iteration). */
  private readonly dropped: number[] = [];
  private readonly pair: [number, undefined] = [0, undefined];

  /** Counts changes (a tuple in or out), so what is computed from the store can be kept until it changes. */
  version = 0;

  constructor(private onHeld: HeldListener = () => {}) {
    this.grow(8);
  }

  /**
   * The store as a new owner takes it (a node returning with its disk): from now on its changes are told to
   * `onHeld`, not to the departed incarnation's listener.
   */
  adopt(onHeld: HeldListener): this {
    this.onHeld = onHeld;
    return this;
  }

  /** Tuples held (puts and tombstones, expired ones not yet dropped included). */
  get size(): number {
    return this.count;
  }

  /** Bytes the tuples held cost on disk: each its value and Bamboo's 77 bytes of bookkeeping. */
  get bytes(): number {
    return this.byteTotal;
  }

  /** Store `t` under the merge rules of Bamboo's storage manager. */
  add(t: Tuple, nowUs: number): AddOutcome {
    if (t.expiresUs <= nowUs) return "expired";
    if (t.remove && t.secretHash === 0) return "rejected";
    let slot = this.find(t.key, t.valueHash, t.secretHash);
    if (slot !== NO_SLOT && this.times[4 * slot + EXPIRES] <= nowUs) {
      this.drop(slot);
      slot = NO_SLOT;
    }
    if (slot === NO_SLOT) {
      this.insert(t);
      return "stored";
    }
    const heldRemove = this.words[8 * slot + REMOVE] === 1;
    if (heldRemove && !t.remove) return "blocked";
    if (!heldRemove && t.remove) {
      this.drop(slot);
      this.insert(t);
      return "removed";
    }
    // The same put, or the same remove, twice: the later expiry stays (the later put time on a tie, so that every
    // replica keeps the same one and their Merkle trees agree).
    const expires = this.times[4 * slot + EXPIRES];
    if (t.expiresUs < expires || (t.expiresUs === expires && t.putTimeUs <= this.times[4 * slot + PUT_TIME])) return "duplicate";
    this.byTime.delete(slot);
    this.byteTotal += t.size - this.words[8 * slot + SIZE];
    this.words[8 * slot + SIZE] = t.size;
    this.times[4 * slot + PUT_TIME] = t.putTimeUs;
    this.times[4 * slot + EXPIRES] = t.expiresUs;
    this.byTime.set(slot, undefined);
    return "refreshed";
  }

  /** Delete the tuple held for `t`'s (key, secret hash, value hash) if it is a put or tombstone as `t` is. */
  removeTuple(t: Tuple): boolean {
    const slot = this.find(t.key, t.valueHash, t.secretHash);
    if (slot === NO_SLOT || (this.words[8 * slot + REMOVE] === 1) !== t.remove) return false;
    this.drop(slot);
    return true;
  }

  /** The tuple held for (key, value hash, secret hash), a put or a tombstone, expired or not. */
  lookup(key: Id, valueHash: number, secretHash: number): Tuple | undefined {
    const slot = this.find(key, valueHash, secretHash);
    return slot === NO_SLOT ? undefined : this.tupleAt(slot);
  }

  /** Is exactly `t` held (same identity, kind, put time and expiry)? What anti-entropy asks before fetching it. */
  has(t: Tuple): boolean {
    const slot = this.find(t.key, t.valueHash, t.secretHash);
    if (slot === NO_SLOT) return false;
    return (this.words[8 * slot + REMOVE] === 1) === t.remove && this.times[4 * slot + PUT_TIME] === t.putTimeUs && this.times[4 * slot + EXPIRES] === t.expiresUs;
  }

  /** The live puts under `key` (what a get answers), in value-hash order; expired tuples met are dropped. */
  values(key: Id, nowUs: number): Tuple[] {
    const out: Tuple[] = [];
    this.scanKeys(key, key, (slot) => {
      if (this.times[4 * slot + EXPIRES] <= nowUs) this.dropped.push(slot);
      else if (this.words[8 * slot + REMOVE] === 0) out.push(this.tupleAt(slot));
    });
    this.dropMet();
    return out;
  }

  /**
   * Visit the unexpired tuples (puts and tombstones) whose key lies in the ring interval `range`, clockwise from
   * its start; expired tuples met are dropped after the visit. `visit` must not change the store.
   */
  inRange(range: KeyRange, nowUs: number, visit: (t: Tuple) => void): void {
    const scan = (slot: number): void => {
      if (this.times[4 * slot + EXPIRES] <= nowUs) this.dropped.push(slot);
      else visit(this.tupleAt(slot));
    };
    this.scanRange(range, scan);
    this.dropMet();
  }

  /** Drop every expired tuple, each reported as leaving; returns how many. */
  expire(nowUs: number): number {
    this.byKey.forEachPair((slot) => {
      if (this.times[4 * slot + EXPIRES] <= nowUs) this.dropped.push(slot);
    });
    const n = this.dropped.length;
    this.dropMet();
    return n;
  }

  /** Every tuple held, in key order, expired ones included. `visit` must not change the store. */
  forEach(visit: (t: Tuple) => void): void {
    this.byKey.forEachPair((slot) => {
      visit(this.tupleAt(slot));
    });
  }

  /** Every tuple held as a slot, in key order, expired ones included: for scans that look at most only by key. */
  forEachSlot(visit: (slot: number) => void): void {
    this.byKey.forEachPair(visit);
  }

  /** The engine's view of a departed node's disk. */
  forEachTuple(visit: (key: Id, valueHash: number, remove: boolean, expiresUs: number) => void): void {
    this.byKey.forEachPair((slot) => {
      visit(this.keys[slot], this.words[8 * slot + VALUE_HASH], this.words[8 * slot + REMOVE] === 1, this.times[4 * slot + EXPIRES]);
    });
  }

  // Slot access, for the Merkle trees: a scan visits slots, which these read without allocating.

  /** Visit the slots whose put time lies in [fromUs, toUs), in time order (expired ones included). */
  scanByTime(fromUs: number, toUs: number, visit: (slot: number) => void): void {
    this.probe(LOW_PROBE, "", fromUs);
    this.probe(HIGH_PROBE, "", toUs);
    this.byTime.forRange(LOW_PROBE, HIGH_PROBE, false, visit);
  }

  /** Visit the slots whose key lies in [lowKey, highKey] (not wrapping), in identity order (expired ones included). */
  scanKeys(lowKey: Id, highKey: Id, visit: (slot: number) => void): void {
    this.probe(LOW_PROBE, lowKey, 0);
    // Every identifier has the same length, so the key followed by a NUL sorts after it and before the next key.
    this.probe(HIGH_PROBE, highKey + "\0", 0);
    this.byKey.forRange(LOW_PROBE, HIGH_PROBE, false, visit);
  }

  keyAt(slot: number): Id {
    return this.keys[slot];
  }

  putTimeAt(slot: number): number {
    return this.times[4 * slot + PUT_TIME];
  }

  expiresAt(slot: number): number {
    return this.times[4 * slot + EXPIRES];
  }

  fingerprintAt(slot: number): number {
    const w = 8 * slot;
    const f = 4 * slot;
    return fingerprint(this.keys[slot], this.words[w + VALUE_HASH], this.words[w + SECRET_HASH], this.words[w + REMOVE] === 1, this.times[f + PUT_TIME], this.times[f + EXPIRES]);
  }

  tupleAt(slot: number): Tuple {
    return {
      key: this.keys[slot],
      valueHash: this.words[8 * slot + VALUE_HASH],
      secretHash: this.words[8 * slot + SECRET_HASH],
      size: this.words[8 * slot + SIZE],
      putTimeUs: this.times[4 * slot + PUT_TIME],
      expiresUs: this.times[4 * slot + EXPIRES],
      remove: this.words[8 * slot + REMOVE] === 1,
    };
  }

  /** The ring interval as one or two key-ordered scans, clockwise from its start. */
  private scanRange(range: KeyRange, visit: (slot: number) => void): void {
    const { lo, hi } = range;
    if (this.count === 0) return;
    const last = this.keys[this.byKey.maxKey() as number];
    const first = this.keys[this.byKey.minKey() as number];
    if (lo < hi) {
      this.scanAfter(lo, hi, visit);
      return;
    }
    // (lo, end of ring] then [start of ring, hi]; when lo === hi the second part ends where the first began.
    if (lo < last) this.scanAfter(lo, last, visit);
    if (first <= hi) this.scanKeys(first, hi, visit);
  }

  /** Keys in (lo, hi]. */
  private scanAfter(lo: Id, hi: Id, visit: (slot: number) => void): void {
    this.probe(LOW_PROBE, lo + "\0", 0);
    this.probe(HIGH_PROBE, hi + "\0", 0);
    this.byKey.forRange(LOW_PROBE, HIGH_PROBE, false, visit);
  }

  private find(key: Id, valueHash: number, secretHash: number): number {
    this.probe(LOW_PROBE, key, 0);
    this.words[8 * LOW_PROBE + VALUE_HASH] = valueHash;
    this.words[8 * LOW_PROBE + SECRET_HASH] = secretHash;
    const found = this.byKey.getPairOrNextHigher(LOW_PROBE, this.pair);
    if (found === undefined) return NO_SLOT;
    const slot = found[0];
    return this.compareIdentity(slot, LOW_PROBE) === 0 ? slot : NO_SLOT;
  }

  /** Write a query bound into a probe slot: the lowest identity with this key and put time. */
  private probe(slot: number, key: Id, timeUs: number): void {
    this.keys[slot] = key;
    this.words[8 * slot + VALUE_HASH] = 0;
    this.words[8 * slot + SECRET_HASH] = 0;
    this.words[8 * slot + REMOVE] = 0;
    this.times[4 * slot + PUT_TIME] = timeUs;
  }

  private compareIdentity(a: number, b: number): number {
    const ka = this.keys[a];
    const kb = this.keys[b];
    if (ka !== kb) return ka < kb ? -1 : 1;
    return this.words[8 * a + VALUE_HASH] - this.words[8 * b + VALUE_HASH] || this.words[8 * a + SECRET_HASH] - this.words[8 * b + SECRET_HASH];
  }

  private compareTime(a: number, b: number): number {
    return this.times[4 * a + PUT_TIME] - this.times[4 * b + PUT_TIME] || this.compareIdentity(a, b);
  }

  private insert(t: Tuple): void {
    let slot = this.freeHead;
    if (slot !== NO_SLOT) this.freeHead = this.words[8 * slot + SIZE];
    else {
      if (this.highWater === this.capacity) this.grow(Math.ceil(this.capacity * 1.5));
      slot = this.highWater++;
    }
    this.keys[slot] = t.key;
    this.words[8 * slot + VALUE_HASH] = t.valueHash;
    this.words[8 * slot + SECRET_HASH] = t.secretHash;
    this.words[8 * slot + SIZE] = t.size;
    this.words[8 * slot + REMOVE] = t.remove ? 1 : 0;
    this.times[4 * slot + PUT_TIME] = t.putTimeUs;
    this.times[4 * slot + EXPIRES] = t.expiresUs;
    this.byKey.set(slot, undefined);
    this.byTime.set(slot, undefined);
    this.count++;
    this.byteTotal += t.size + STORED_TUPLE_OVERHEAD_BYTES;
    this.version++;
    this.onHeld(t.key, t.valueHash, t.remove, 1);
  }

  private drop(slot: number): void {
    this.byKey.delete(slot);
    this.byTime.delete(slot);
    const key = this.keys[slot];
    this.count--;
    this.byteTotal -= this.words[8 * slot + SIZE] + STORED_TUPLE_OVERHEAD_BYTES;
    this.keys[slot] = "";
    this.words[8 * slot + SIZE] = this.freeHead;
    this.freeHead = slot;
    this.version++;
    this.onHeld(key, this.words[8 * slot + VALUE_HASH], this.words[8 * slot + REMOVE] === 1, -1);
  }

  private dropMet(): void {
    for (const slot of this.dropped) this.drop(slot);
    this.dropped.length = 0;
  }

  /** Slots grow by half (not double): at most a third of a store's slot bytes stand empty. */
  private grow(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * SLOT_BYTES);
    const times = new Float64Array(buffer);
    const words = new Uint32Array(buffer);
    times.set(this.times);
    this.times = times;
    this.words = words;
    while (this.keys.length < capacity) this.keys.push("");
    this.capacity = capacity;
  }
}
