import type { Id } from "../sim/runtime/index.js";
import { keyChildLow, keyNode, leafKeys, ROOT_KEY } from "./key-merkle.js";
import type { KeyRange } from "./key-range.js";
import { EMPTY_HASH } from "./merkle-hash.js";
import { childLowTime, leafTuples, timeNode } from "./time-merkle.js";
import { keyWireBytes, type Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

/**
 * One pull session of anti-entropy, simulated in one go: what `local` would fetch from `remote` for one shared key
 * range, how many requests it would send and how many bytes would cross the network both ways. The storage layer
 * runs the same exchange message by message (with the node and leaf functions of the two tree modules); this is
 * the reference its tests compare with, and the exchange written out.
 *
 * The exchange (Bamboo's; DHash's has the same shape over its key tree):
 *  1. local asks for a node, sending its own hash of it; remote answers with its hash, whether the node is a leaf
 *     and, when the hashes differ and it is not a leaf, its children's hashes;
 *  2. local recurses into each child whose hash differs from its own, unless remote's child is empty (nothing to
 *     pull there);
 *  3. at a remote leaf that differs, local asks for the leaf's keys (the tuples' identities) and then fetches, in
 *     one request, the tuples it does not hold.
 */

// Message sizes, from Bamboo's anti-entropy messages (hashes are 20-byte SHA-1s there).
/** A node request: range, level, low time, the requester's hash, and the headers. */
export const NODE_REQUEST_BYTES = 123;
/** A node response without children: hash, leaf flag and headers. */
export const NODE_RESPONSE_BYTES = 37;
/** Each child hash in a node response. */
export const CHILD_HASH_BYTES = 20;
/** A leaf's key request has a node request's fields. */
export const KEYS_REQUEST_BYTES = NODE_REQUEST_BYTES;
/** A key listing's header; with a full leaf of 32 keys the listing is at most 33 × 57 bytes. */
export const KEYS_RESPONSE_HEADER_BYTES = 57;
/** Header of a fetch request and of its response. */
export const FETCH_HEADER_BYTES = 37;

export interface SyncResult {
  /** Tuples remote holds (unexpired, in the range) that local does not: what local fetches. */
  missing: Tuple[];
  /** Requests local sends (each answered once). */
  requests: number;
  /** Bytes of the requests and responses. */
  bytes: number;
}

/** The exchange at a leaf: list remote's tuples there, fetch those local lacks. */
function pullLeaf(local: TupleStore, listed: Tuple[], out: SyncResult): void {
  out.requests++;
  out.bytes += KEYS_REQUEST_BYTES + KEYS_RESPONSE_HEADER_BYTES;
  const wanted: Tuple[] = [];
  for (const t of listed) {
    out.bytes += keyWireBytes(t.secretHash);
    if (!local.has(t)) wanted.push(t);
  }
  if (wanted.length === 0) return;
  out.requests++;
  out.bytes += 2 * FETCH_HEADER_BYTES;
  for (const t of wanted) {
    out.bytes += 2 * keyWireBytes(t.secretHash) + t.size;
    out.missing.push(t);
  }
}

/** What `local` pulls from `remote` with Bamboo's tree over put times. */
export function diffTimeTrees(local: TupleStore, remote: TupleStore, range: KeyRange, nowUs: number): SyncResult {
  const out: SyncResult = { missing: [], requests: 0, bytes: 0 };
  const visit = (level: number, lowTimeUs: number): void => {
    const mine = timeNode(local, range, level, lowTimeUs, nowUs, true);
    const theirs = timeNode(remote, range, level, lowTimeUs, nowUs);
    out.requests++;
    out.bytes += NODE_REQUEST_BYTES + NODE_RESPONSE_BYTES;
    if (mine.hash === theirs.hash || theirs.hash === EMPTY_HASH) return;
    if (theirs.leaf) {
      pullLeaf(local, leafTuples(remote, range, level, lowTimeUs, nowUs), out);
      return;
    }
    const children = theirs.children as number[];
    out.bytes += CHILD_HASH_BYTES * children.length;
    // Local's own children, whether or not it splits the node itself: a leaf here may be interior there.
    const own = mine.children as number[];
    for (let child = 0; child < children.length; child++) {
      if (children[child] !== EMPTY_HASH && children[child] !== own[child]) visit(level + 1, childLowTime(level, lowTimeUs, child));
    }
  };
  visit(0, 0);
  return out;
}

/** What `local` pulls from `remote` with DHash's tree over keys. */
export function diffKeyTrees(local: TupleStore, remote: TupleStore, range: KeyRange, nowUs: number): SyncResult {
  const out: SyncResult = { missing: [], requests: 0, bytes: 0 };
  const visit = (depth: number, lowKey: Id): void => {
    const mine = keyNode(local, range, depth, lowKey, nowUs, true);
    const theirs = keyNode(remote, range, depth, lowKey, nowUs);
    out.requests++;
    out.bytes += NODE_REQUEST_BYTES + NODE_RESPONSE_BYTES;
    if (mine.hash === theirs.hash || theirs.hash === EMPTY_HASH) return;
    if (theirs.leaf) {
      pullLeaf(local, leafKeys(remote, range, depth, lowKey, nowUs), out);
      return;
    }
    const children = theirs.children as number[];
    out.bytes += CHILD_HASH_BYTES * children.length;
    const own = mine.children as number[];
    for (let child = 0; child < children.length; child++) {
      if (children[child] !== EMPTY_HASH && children[child] !== own[child]) visit(depth + 1, keyChildLow(depth, lowKey, child));
    }
  };
  visit(0, ROOT_KEY);
  return out;
}
