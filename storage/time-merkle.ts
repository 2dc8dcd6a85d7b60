import { inKeyRange, type KeyRange } from "./key-range.js";
import { EMPTY_HASH, finishHash, INTERIOR_SEED, LEAF_SEED, mix52 } from "./merkle-hash.js";
import type { Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

/**
 * Bamboo's anti-entropy Merkle tree: over the put times of the tuples whose keys lie in one range two neighbours
 * share. Time is 62 bits of microseconds; each level splits a node's time span into 2^5 = 32 children, so level 0
 * (the root) covers all time and level 12 spans 4 µs. A node with at most 32 tuples below it is a leaf bucket,
 * hashed over those tuples in time order; any other node is hashed over its 32 children's hashes (level 12,
 * which cannot split, is always a leaf). Expired tuples are left out.
 *
 * Nothing is kept between calls: a node is computed from the store's time index, in time proportional to the
 * tuples in its time span (those of other key ranges are skipped on the way).
 */

export const EXPANSION_BITS = 5;
export const BRANCHING = 1 << EXPANSION_BITS;
export const TIME_BITS = 62;
export const LEVELS = 13;
/** A node holding at most this many tuples is a leaf bucket. */
export const LEAF_TUPLES = 32;

/** The time span of a node at `level`, in microseconds: 2^(62 − 5·level), a power of two, so exact as a double. */
export function timeSpan(level: number): number {
  return 2 ** (TIME_BITS - EXPANSION_BITS * level);
}

/** The first put time of child `child` of the node at (level, lowTimeUs). */
export function childLowTime(level: number, lowTimeUs: number, child: number): number {
  return lowTimeUs + child * timeSpan(level + 1);
}

export interface TimeNode {
  hash: number;
  /** Unexpired tuples of the range below the node. */
  count: number;
  leaf: boolean;
  /** The 32 children's hashes (EMPTY_HASH for an empty child): for an interior node, or when asked for. */
  children?: number[];
}

/** The node's tuples as slots, put times and fingerprints, in time order; reused from call to call. */
let slots = new Float64Array(64);
let times = new Float64Array(64);
let prints = new Float64Array(64);
let gathered = 0;
/** The earliest expiry among the tuples gathered: the node's hash changes then, whatever else happens. */
let gatheredExpiry = Infinity;

function gather(store: TupleStore, range: KeyRange, level: number, lowTimeUs: number, nowUs: number): void {
  gathered = 0;
  gatheredExpiry = Infinity;
  store.scanByTime(lowTimeUs, lowTimeUs + timeSpan(level), (slot) => {
    const expires = store.expiresAt(slot);
    if (expires <= nowUs || !inKeyRange(store.keyAt(slot), range)) return;
    if (expires < gatheredExpiry) gatheredExpiry = expires;
    if (gathered === slots.length) {
      slots = enlarge(slots);
      times = enlarge(times);
      prints = enlarge(prints);
    }
    slots[gathered] = slot;
    times[gathered] = store.putTimeAt(slot);
    prints[gathered] = store.fingerprintAt(slot);
    gathered++;
  });
}

function enlarge(a: Float64Array): Float64Array<ArrayBuffer> {
  const next = new Float64Array(a.length * 2);
  next.set(a);
  return next;
}

function leafHash(from: number, to: number): number {
  let h = LEAF_SEED;
  for (let i = from; i < to; i++) h = mix52(h, prints[i]);
  return finishHash(h, to - from);
}

/** Hash of the node at (level, lowTimeUs) over the gathered tuples [from, to), which are exactly those below it. */
function nodeHash(from: number, to: number, level: number, lowTimeUs: number): number {
  const n = to - from;
  if (n === 0) return EMPTY_HASH;
  if (n <= LEAF_TUPLES || level === LEVELS - 1) return leafHash(from, to);
  return interiorHash(from, to, level, lowTimeUs, null);
}

/** The node's hash as an interior node, over its 32 children's hashes (pushed onto `children` when given). */
function interiorHash(from: number, to: number, level: number, lowTimeUs: number, children: number[] | null): number {
  const span = timeSpan(level + 1);
  let h = INTERIOR_SEED;
  let i = from;
  for (let child = 0; child < BRANCHING; child++) {
    const low = lowTimeUs + child * span;
    const high = low + span;
    let j = i;
    while (j < to && times[j] < high) j++;
    const childHash = nodeHash(i, j, level + 1, low);
    if (children !== null) children.push(childHash);
    h = mix52(h, childHash);
    i = j;
  }
  return finishHash(h, to - from);
}

/**
 * The node at (level, lowTimeUs) of `store`'s tree over `range`, as a node request's response carries it. With
 * `withChildren`, a leaf's children are given too (below level 12): the requester compares its own children with
 * those of a responder that splits a node it holds as a leaf.
 */
export function timeNode(store: TupleStore, range: KeyRange, level: number, lowTimeUs: number, nowUs: number, withChildren = false): TimeNode {
  if (level !== 0) return computeNode(store, range, level, lowTimeUs, nowUs, withChildren);
  // The root of each range is asked for at every anti-entropy round, by both sides, and most rounds end there: it
  // is kept until the store changes or one of its tuples expires.
  let roots = rootCache.get(store);
  if (roots === undefined) rootCache.set(store, (roots = new Map()));
  // By the range's two ends in turn: identifiers are strings that arrive with messages, their hashes already known.
  let byHi = roots.get(range.lo);
  if (byHi === undefined) roots.set(range.lo, (byHi = new Map()));
  const kept = byHi.get(range.hi);
  let node: TimeNode;
  if (kept !== undefined && kept.version === store.version && nowUs >= kept.computedUs && nowUs < kept.validUntilUs) node = kept.node;
  else {
    node = computeNode(store, range, level, lowTimeUs, nowUs, true);
    byHi.set(range.hi, { version: store.version, computedUs: nowUs, validUntilUs: gatheredExpiry, node });
  }
  // Kept with its children; a leaf asked for without them is given without them.
  return withChildren || !node.leaf ? node : { hash: node.hash, count: node.count, leaf: node.leaf };
}

interface KeptRoot {
  version: number;
  /** Valid from the time it was computed (tuples expired by then are left out) until its first tuple expires. */
  computedUs: number;
  validUntilUs: number;
  node: TimeNode;
}

const rootCache = new WeakMap<TupleStore, Map<string, Map<string, KeptRoot>>>();

function computeNode(store: TupleStore, range: KeyRange, level: number, lowTimeUs: number, nowUs: number, withChildren: boolean): TimeNode {
  gather(store, range, level, lowTimeUs, nowUs);
  const count = gathered;
  const leaf = count <= LEAF_TUPLES || level === LEVELS - 1;
  const canSplit = level < LEVELS - 1;
  if (!leaf) {
    const children: number[] = [];
    return { hash: interiorHash(0, count, level, lowTimeUs, children), count, leaf, children };
  }
  const hash = nodeHash(0, count, level, lowTimeUs);
  if (!withChildren || !canSplit) return { hash, count, leaf };
  const children: number[] = [];
  interiorHash(0, count, level, lowTimeUs, children);
  return { hash, count, leaf, children };
}

/** The root hash of `store`'s tree over `range`. */
export function timeRootHash(store: TupleStore, range: KeyRange, nowUs: number): number {
  return timeNode(store, range, 0, 0, nowUs).hash;
}

/** The tuples below the node at (level, lowTimeUs), in time order: what a leaf's key listing names. */
export function leafTuples(store: TupleStore, range: KeyRange, level: number, lowTimeUs: number, nowUs: number): Tuple[] {
  gather(store, range, level, lowTimeUs, nowUs);
  const out: Tuple[] = [];
  for (let i = 0; i < gathered; i++) out.push(store.tupleAt(slots[i]));
  return out;
}
