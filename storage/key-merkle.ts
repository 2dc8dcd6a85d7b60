import { ID_BITS, ID_HEX_DIGITS, type Id } from "../sim/runtime/index.js";
import { inKeyRange, type KeyRange } from "./key-range.js";
import { EMPTY_HASH, finishHash, INTERIOR_SEED, LEAF_SEED, mix52 } from "./merkle-hash.js";
import type { Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

/**
 * DHash's Merkle tree (MIT Chord's synchronisation): over the 160-bit key space, restricted to one range of keys,
 * each interior node split by the next 6 bits of the key into 64 children; a node with at most 64 tuples below it
 * is a leaf, hashed over those tuples in key order. A node is named by its depth and its lowest key (the key's
 * first 6·depth bits, zeros after). 160 bits make 26 full levels and 4 bits over: depth 26 splits on those 4 bits
 * (children 0, 4, 8, …, 60; the key is read as if followed by two zero bits) and depth 27, one key, is always a
 * leaf. Expired tuples are left out.
 *
 * As with the time tree, nothing is kept between calls: a node is computed from the store's key index in time
 * proportional to the tuples in its key span.
 */

export const KEY_BITS_PER_LEVEL = 6;
export const KEY_BRANCHING = 1 << KEY_BITS_PER_LEVEL;
/** A node holding at most this many tuples is a leaf. */
export const KEY_LEAF_TUPLES = 64;
/** The deepest level: its nodes hold one key each. */
export const KEY_LEAF_DEPTH = Math.ceil(ID_BITS / KEY_BITS_PER_LEVEL);
export const ROOT_KEY: Id = "0".repeat(ID_HEX_DIGITS);

export interface KeyNode {
  hash: number;
  /** Unexpired tuples of the range below the node. */
  count: number;
  leaf: boolean;
  /** The 64 children's hashes (EMPTY_HASH for an empty child): for an interior node, or when asked for. */
  children?: number[];
}

function hexDigit(key: Id, i: number): number {
  if (i >= key.length) return 0;
  const c = key.charCodeAt(i);
  return c <= 57 ? c - 48 : c - 87;
}

/** Which child of a node at `depth` holds `key`: the key's bits [6·depth, 6·depth + 6). */
export function keyChildIndex(key: Id, depth: number): number {
  const bit = KEY_BITS_PER_LEVEL * depth;
  const digit = bit >> 2;
  const word = (hexDigit(key, digit) << 8) | (hexDigit(key, digit + 1) << 4) | hexDigit(key, digit + 2);
  return (word >> (6 - (bit & 3))) & (KEY_BRANCHING - 1);
}

function toId(n: bigint): Id {
  return n.toString(16).padStart(ID_HEX_DIGITS, "0");
}

/** The highest key below the node at (depth, lowKey). */
export function keyNodeHigh(depth: number, lowKey: Id): Id {
  const free = Math.max(0, ID_BITS - KEY_BITS_PER_LEVEL * depth);
  return toId(BigInt("0x" + lowKey) | ((1n << BigInt(free)) - 1n));
}

/** The lowest key of child `child` of the node at (depth, lowKey). */
export function keyChildLow(depth: number, lowKey: Id, child: number): Id {
  const shift = ID_BITS - KEY_BITS_PER_LEVEL * (depth + 1);
  const offset = shift >= 0 ? BigInt(child) << BigInt(shift) : BigInt(child >> -shift);
  return toId(BigInt("0x" + lowKey) + offset);
}

/** The node's tuples as slots, keys and fingerprints, in key order; reused from call to call. */
const slots: number[] = [];
const keys: Id[] = [];
const prints: number[] = [];

function gather(store: TupleStore, range: KeyRange, depth: number, lowKey: Id, nowUs: number): void {
  slots.length = 0;
  keys.length = 0;
  prints.length = 0;
  store.scanKeys(lowKey, keyNodeHigh(depth, lowKey), (slot) => {
    const key = store.keyAt(slot);
    if (store.expiresAt(slot) <= nowUs || !inKeyRange(key, range)) return;
    slots.push(slot);
    keys.push(key);
    prints.push(store.fingerprintAt(slot));
  });
}

/** Hash of the node at `depth` over the gathered tuples [from, to), which are exactly those below it. */
function nodeHash(from: number, to: number, depth: number): number {
  const n = to - from;
  if (n === 0) return EMPTY_HASH;
  if (n <= KEY_LEAF_TUPLES || depth === KEY_LEAF_DEPTH) {
    let h = LEAF_SEED;
    for (let i = from; i < to; i++) h = mix52(h, prints[i]);
    return finishHash(h, n);
  }
  return interiorHash(from, to, depth, null);
}

/** The node's hash as an interior node, over its 64 children's hashes (pushed onto `children` when given). */
function interiorHash(from: number, to: number, depth: number, children: number[] | null): number {
  let h = INTERIOR_SEED;
  let i = from;
  for (let child = 0; child < KEY_BRANCHING; child++) {
    let j = i;
    while (j < to && keyChildIndex(keys[j], depth) === child) j++;
    const childHash = nodeHash(i, j, depth + 1);
    if (children !== null) children.push(childHash);
    h = mix52(h, childHash);
    i = j;
  }
  return finishHash(h, to - from);
}

/**
 * The node at (depth, lowKey) of `store`'s tree over `range`, as a sync exchange carries its record. With
 * `withChildren`, a leaf's children are given too (above the deepest level): the requester compares its own
 * children with those of a responder that splits a node it holds as a leaf.
 */
export function keyNode(store: TupleStore, range: KeyRange, depth: number, lowKey: Id, nowUs: number, withChildren = false): KeyNode {
  gather(store, range, depth, lowKey, nowUs);
  const count = slots.length;
  const leaf = count <= KEY_LEAF_TUPLES || depth === KEY_LEAF_DEPTH;
  if (!leaf) {
    const children: number[] = [];
    return { hash: interiorHash(0, count, depth, children), count, leaf, children };
  }
  const hash = nodeHash(0, count, depth);
  if (!withChildren || depth === KEY_LEAF_DEPTH) return { hash, count, leaf };
  const children: number[] = [];
  interiorHash(0, count, depth, children);
  return { hash, count, leaf, children };
}

/** The root hash of `store`'s tree over `range`. */
export function keyRootHash(store: TupleStore, range: KeyRange, nowUs: number): number {
  return keyNode(store, range, 0, ROOT_KEY, nowUs).hash;
}

/** The tuples below the node at (depth, lowKey), in key order: what a leaf's key listing names. */
export function leafKeys(store: TupleStore, range: KeyRange, depth: number, lowKey: Id, nowUs: number): Tuple[] {
  gather(store, range, depth, lowKey, nowUs);
  return slots.map((slot) => store.tupleAt(slot));
}
