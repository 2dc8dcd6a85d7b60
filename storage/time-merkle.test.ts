import { describe, expect, it } from "vitest";
import type { KeyRange } from "./key-range.js";
import { EMPTY_HASH } from "./merkle-hash.js";
import { diffTimeTrees } from "./merkle-sync.js";
import { fingerprints, keyOf, put, storeOf, tombstone } from "./test-support.js";
import { BRANCHING, childLowTime, LEAF_TUPLES, leafTuples, LEVELS, timeNode, timeRootHash, timeSpan } from "./time-merkle.js";
import type { Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

const WHOLE: KeyRange = { lo: "0".repeat(40), hi: "0".repeat(40) };
const HOUR_US = 3_600_000_000;

/** Tuples with spread keys and put times spread over [0, spanUs). */
function spread(n: number, spanUs: number, offset = 0): Tuple[] {
  return Array.from({ length: n }, (_, i) => put(keyOf(offset + i), i % 7, Math.floor(((offset + i) * 2654435761) % spanUs), HOUR_US * 1000));
}

/** How many interior nodes the tree has, and its deepest level. */
function shape(store: TupleStore, range: KeyRange, nowUs: number): { interior: number; deepest: number; tuples: number } {
  const out = { interior: 0, deepest: 0, tuples: 0 };
  const walk = (level: number, low: number): void => {
    const node = timeNode(store, range, level, low, nowUs);
    out.deepest = Math.max(out.deepest, level);
    if (node.leaf) {
      out.tuples += node.count;
      return;
    }
    out.interior++;
    const children = node.children as number[];
    children.forEach((h, c) => {
      if (h !== EMPTY_HASH) walk(level + 1, childLowTime(level, low, c));
    });
  };
  walk(0, 0);
  return out;
}

describe("Bamboo's Merkle tree over put times", () => {
  it("splits 62 bits of microseconds 32 ways for 13 levels", () => {
    expect(BRANCHING).toBe(32);
    expect(timeSpan(0)).toBe(2 ** 62);
    expect(timeSpan(LEVELS - 1)).toBe(4);
    expect(childLowTime(1, 2 ** 57, 3)).toBe(2 ** 57 + 3 * 2 ** 52);
  });

  it("hashes an empty store as EMPTY_HASH, and equal sets equally whatever the order they arrived in", () => {
    expect(timeNode(storeOf([]), WHOLE, 0, 0, 0)).toEqual({ hash: EMPTY_HASH, count: 0, leaf: true });
    const tuples = spread(2000, 2 ** 36);
    const a = storeOf(tuples);
    const b = storeOf([...tuples].reverse());
    expect(timeRootHash(a, WHOLE, 0)).toBe(timeRootHash(b, WHOLE, 0));
    expect(timeRootHash(a, WHOLE, 0)).not.toBe(EMPTY_HASH);
  });

  it("builds several interior levels above 32 · 32 tuples, and every tuple reaches one leaf", () => {
    const store = storeOf(spread(3000, 2 ** 36));
    const s = shape(store, WHOLE, 0);
    expect(s.tuples).toBe(3000);
    // Six levels of one interior child each (the times span 2^36 µs), then 16 interior nodes splitting again.
    expect(s.interior).toBeGreaterThan(LEVELS);
    expect(s.deepest).toBeGreaterThanOrEqual(7);
    const root = timeNode(store, WHOLE, 0, 0, 0);
    expect(root.leaf).toBe(false);
    expect(root.children).toHaveLength(32);
  });

  it("changes the root for one more tuple, and the diff finds exactly that tuple", () => {
    const tuples = spread(3000, 2 ** 36);
    const extra = put(keyOf(99_999), 3, 12_345_678, HOUR_US);
    const local = storeOf(tuples);
    const remote = storeOf([...tuples, extra]);
    expect(timeRootHash(local, WHOLE, 0)).not.toBe(timeRootHash(remote, WHOLE, 0));
    const sync = diffTimeTrees(local, remote, WHOLE, 0);
    expect(sync.missing).toEqual([extra]);
    // One path down the tree, not the whole tree.
    expect(sync.requests).toBeLessThan(LEVELS + 2);
    expect(diffTimeTrees(remote, local, WHOLE, 0).missing).toEqual([]);
  });

  it("tells apart tuples with equal put times, however many share one (the last level is always a leaf)", () => {
    const same = Array.from({ length: 100 }, (_, i) => put(keyOf(i), 1, 5_000_000, HOUR_US));
    const local = storeOf(same);
    const extra = tombstone(keyOf(500), 2, 5_000_000, HOUR_US);
    const remote = storeOf([...same, extra]);
    const deepest = shape(remote, WHOLE, 0);
    expect(deepest.deepest).toBe(LEVELS - 1);
    expect(diffTimeTrees(local, remote, WHOLE, 0).missing).toEqual([extra]);
    const leaf = leafTuples(remote, WHOLE, 0, 0, 0);
    expect(leaf).toHaveLength(101);
    expect(LEAF_TUPLES).toBe(32);
  });

  it("gives a leaf's tuples in put-time order", () => {
    const store = storeOf(spread(20, 10_000));
    const times = leafTuples(store, WHOLE, 0, 0, 0).map((t) => t.putTimeUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("leaves out expired tuples and tuples outside the range, wrapping ranges included", () => {
    const keys = Array.from({ length: 200 }, (_, i) => keyOf(i)).sort();
    const base = keys.map((k, i) => put(k, 1, i * 1000, HOUR_US));
    const range: KeyRange = { lo: keys[150], hi: keys[40] };
    const a = storeOf(base);
    const b = storeOf([...base, put(keys[100], 2, 77, HOUR_US), put(keys[20], 2, 10, 50)]);
    // keys[100] is outside (keys[150], keys[40]]; the second expires at 60.
    expect(timeRootHash(b, range, 100)).toBe(timeRootHash(a, range, 100));
    expect(timeRootHash(b, range, 0)).not.toBe(timeRootHash(a, range, 0));
    expect(fingerprints(diffTimeTrees(a, b, range, 0).missing)).toEqual(fingerprints([put(keys[20], 2, 10, 50)]));
    expect(timeNode(a, range, 0, 0, 100).count).toBe(49 + 41);
  });
});
