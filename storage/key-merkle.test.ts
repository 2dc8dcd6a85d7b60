import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Id } from "../sim/runtime/ids.js";
import { KEY_BRANCHING, KEY_LEAF_DEPTH, keyChildIndex, keyChildLow, keyNode, keyNodeHigh, keyRootHash, leafKeys, ROOT_KEY } from "./key-merkle.js";
import type { KeyRange } from "./key-range.js";
import { EMPTY_HASH } from "./merkle-hash.js";
import { diffKeyTrees } from "./merkle-sync.js";
import { fingerprints, keyOf, put, storeOf } from "./test-support.js";
import type { Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

const WHOLE: KeyRange = { lo: ROOT_KEY, hi: ROOT_KEY };
const TTL = 1e12;
const hexKey = fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 40, maxLength: 40 }).map((ds) => ds.map((d) => d.toString(16)).join(""));

/** A key's bits [6·depth, 6·depth + 6), read as if the key were followed by two zero bits. */
function bitsByBigInt(key: Id, depth: number): number {
  const padded = BigInt("0x" + key) << 2n;
  return Number((padded >> BigInt(162 - 6 * (depth + 1))) & 63n);
}

/** How many interior nodes the tree has, and its deepest level. */
function shape(store: TupleStore, range: KeyRange, nowUs: number): { interior: number; deepest: number; tuples: number } {
  const out = { interior: 0, deepest: 0, tuples: 0 };
  const walk = (depth: number, low: Id): void => {
    const node = keyNode(store, range, depth, low, nowUs);
    out.deepest = Math.max(out.deepest, depth);
    if (node.leaf) {
      out.tuples += node.count;
      return;
    }
    out.interior++;
    (node.children as number[]).forEach((h, c) => {
      if (h !== EMPTY_HASH) walk(depth + 1, keyChildLow(depth, low, c));
    });
  };
  walk(0, ROOT_KEY);
  return out;
}

describe("DHash's Merkle tree over keys", () => {
  it("reads 6 bits of the key per level, and names children by their lowest key", () => {
    expect(KEY_BRANCHING).toBe(64);
    expect(KEY_LEAF_DEPTH).toBe(27);
    fc.assert(
      fc.property(hexKey, fc.integer({ min: 0, max: KEY_LEAF_DEPTH - 1 }), (key, depth) => {
        expect(keyChildIndex(key, depth)).toBe(bitsByBigInt(key, depth));
      }),
      { seed: 3, numRuns: 500 },
    );
    fc.assert(
      fc.property(hexKey, fc.integer({ min: 0, max: KEY_LEAF_DEPTH - 1 }), (key, depth) => {
        // Walk down to the node holding `key` at `depth`; it and its bounds must hold the key.
        let low = ROOT_KEY;
        for (let d = 0; d < depth; d++) low = keyChildLow(d, low, keyChildIndex(key, d));
        expect(low <= key && key <= keyNodeHigh(depth, low)).toBe(true);
      }),
      { seed: 4, numRuns: 300 },
    );
    expect(keyNodeHigh(0, ROOT_KEY)).toBe("f".repeat(40));
    expect(keyChildLow(0, ROOT_KEY, 1)).toBe("04" + "0".repeat(38));
  });

  it("hashes equal sets equally whatever the order, and builds interior levels above 64 · 64 tuples", () => {
    const tuples = Array.from({ length: 5000 }, (_, i) => put(keyOf(i), i % 3, i, TTL));
    const a = storeOf(tuples);
    const b = storeOf([...tuples].reverse());
    expect(keyRootHash(a, WHOLE, 0)).toBe(keyRootHash(b, WHOLE, 0));
    const s = shape(a, WHOLE, 0);
    expect(s.tuples).toBe(5000);
    expect(s.interior).toBeGreaterThan(1);
    expect(keyNode(a, WHOLE, 0, ROOT_KEY, 0).children).toHaveLength(64);
    expect(keyRootHash(storeOf([]), WHOLE, 0)).toBe(EMPTY_HASH);
  });

  it("changes the root for one more tuple, and the diff finds exactly that tuple", () => {
    const tuples = Array.from({ length: 5000 }, (_, i) => put(keyOf(i), 1, i, TTL));
    const extra = put(keyOf(77_777), 9, 5, TTL);
    const local = storeOf(tuples);
    const remote = storeOf([...tuples, extra]);
    expect(keyRootHash(local, WHOLE, 0)).not.toBe(keyRootHash(remote, WHOLE, 0));
    const sync = diffKeyTrees(local, remote, WHOLE, 0);
    expect(sync.missing).toEqual([extra]);
    expect(diffKeyTrees(remote, local, WHOLE, 0).missing).toEqual([]);
  });

  it("goes deep for keys sharing long prefixes, down to the one-key level for many values under one key", () => {
    const prefix = "ab".repeat(18) + "c";
    const clustered: Tuple[] = [];
    for (let i = 0; i < 600; i++) clustered.push(put(prefix + i.toString(16).padStart(3, "0"), 1, i, TTL));
    const crowded = prefix + "fff";
    for (let v = 0; v < 100; v++) clustered.push(put(crowded, v, v, TTL));
    const local = storeOf(clustered);
    const extra = put(crowded, 1000, 3, TTL);
    const remote = storeOf([...clustered, extra]);
    const s = shape(remote, WHOLE, 0);
    expect(s.deepest).toBe(KEY_LEAF_DEPTH);
    expect(s.tuples).toBe(701);
    expect(diffKeyTrees(local, remote, WHOLE, 0).missing).toEqual([extra]);
    const leaf = leafKeys(remote, WHOLE, 0, ROOT_KEY, 0).map((t) => t.key);
    expect(leaf).toEqual([...leaf].sort());
  });

  it("leaves out expired tuples and tuples outside a wrapping range", () => {
    const keys = Array.from({ length: 300 }, (_, i) => keyOf(i)).sort();
    const base = keys.map((k, i) => put(k, 1, i, TTL));
    const range: KeyRange = { lo: keys[250], hi: keys[30] };
    const a = storeOf(base);
    const inside = put(keys[10], 2, 10, 50);
    const b = storeOf([...base, put(keys[100], 2, 77, TTL), inside]);
    expect(keyRootHash(b, range, 100)).toBe(keyRootHash(a, range, 100));
    expect(fingerprints(diffKeyTrees(a, b, range, 0).missing)).toEqual(fingerprints([inside]));
    expect(keyNode(a, range, 0, ROOT_KEY, 0).count).toBe(49 + 31);
  });
});
