import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clockwise, type Peer, peerOf, RING, ringGap, ringPoint } from "../common/identifiers.js";
import { LeafSet } from "./leaf-set.js";

const hex = (value: bigint) => value.toString(16).padStart(40, "0");
const at = (address: number, value: bigint): Peer => peerOf({ address, id: hex(value) });
const key = (value: bigint) => ringPoint(hex(value));
const values = fc.uniqueArray(fc.bigInt({ min: 1n, max: RING - 1n }), { minLength: 0, maxLength: 40 });

/** The replica set by brute force: r/2 nodes on each side of the key among all (at or after it, then before it). */
function replicasOf(all: bigint[], k: bigint, r: number): bigint[] {
  const after = [...all].sort((a, b) => (clockwise(k, a) < clockwise(k, b) ? -1 : 1)).slice(0, Math.ceil(r / 2));
  const before = [...all].filter((v) => v !== k).sort((a, b) => (clockwise(a, k) < clockwise(b, k) ? -1 : 1)).slice(0, Math.floor(r / 2));
  return [...after, ...before];
}

describe("leaf set", () => {
  it("names a key's replica set as Bamboo does, r/2 on each side, wherever its leaf set covers the key", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.bigInt({ min: 1n, max: RING - 1n }), { minLength: 12, maxLength: 40 }), fc.bigInt({ min: 0n, max: RING - 1n }), (vs, kv) => {
        // A node at 0 whose leaf set holds its true 4 nearest on each side (the network is larger than 9 nodes).
        const self = at(1000, 0n);
        const ls = new LeafSet(self, 4);
        vs.forEach((v, i) => ls.add(at(i, v)));
        const k = key(kv);
        if (ls.wholeRing() || !ls.covers(k)) return;
        const got = ls.replicas(k, 8).map((p) => p.value);
        const want = replicasOf([0n, ...vs], kv, 8);
        // Only the members we know: those the true set shares with the leaf set's range, closest to the key first.
        const known = new Set([0n, ...ls.successors.map((p) => p.value), ...ls.predecessors.map((p) => p.value)]);
        expect(new Set(got)).toEqual(new Set(want.filter((v) => known.has(v))));
        for (let i = 1; i < got.length; i++) expect(ringGap(got[i - 1], kv) <= ringGap(got[i], kv)).toBe(true);
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });

  it("keeps the k nearest on each side, nearest first, whatever the order of arrival", () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 6 }), (vs, k) => {
        const self = at(1000, 0n);
        const ls = new LeafSet(self, k);
        vs.forEach((v, i) => ls.add(at(i, v)));
        const bySucc = [...vs].sort((a, b) => (clockwise(0n, a) < clockwise(0n, b) ? -1 : 1)).slice(0, k);
        const byPred = [...vs].sort((a, b) => (clockwise(a, 0n) < clockwise(b, 0n) ? -1 : 1)).slice(0, k);
        expect(ls.successors.map((p) => p.value)).toEqual(bySucc);
        expect(ls.predecessors.map((p) => p.value)).toEqual(byPred);
      }),
    );
  });

  it("says which newcomers are promising and forgets removed members", () => {
    const self = at(0, 1000n);
    const ls = new LeafSet(self, 2);
    for (const [a, v] of [[1, 1010n], [2, 1020n], [3, 990n], [4, 980n]] as const) ls.add(at(a, v));
    expect(ls.promising(at(5, 1005n))).toBe(true);
    expect(ls.promising(at(6, 1030n))).toBe(false);
    expect(ls.promising(at(1, 1010n))).toBe(false);
    expect(ls.remove(1)).toBe(true);
    expect(ls.successors.map((p) => p.address)).toEqual([2]);
    expect(ls.promising(at(6, 1030n))).toBe(true);
  });

  it("judges newcomers by their place on the identifier line exactly as ring arithmetic would", () => {
    // Identifiers anywhere on the ring, and identifiers sharing their first 52 bits, where the text decides.
    const near = (v: bigint) => (RING - (1n << 108n)) | v;
    const point = fc.oneof(fc.bigInt({ min: 0n, max: RING - 1n }), fc.bigInt({ min: 0n, max: (1n << 108n) - 1n }).map(near));
    const points = fc.uniqueArray(point, { minLength: 0, maxLength: 40 });
    fc.assert(
      fc.property(point, points, point, fc.integer({ min: 1, max: 4 }), (me, vs, x, k) => {
        const ls = new LeafSet(at(1000, me), k);
        vs.filter((v) => v !== me).forEach((v, i) => ls.add(at(i, v)));
        if (x === me || vs.includes(x)) return;
        const fits = (side: Peer[], gap: bigint, far: (p: Peer) => bigint) => side.length < k || gap < far(side[side.length - 1]);
        const expected = fits(ls.successors, clockwise(me, x), (p) => clockwise(me, p.value)) || fits(ls.predecessors, clockwise(x, me), (p) => clockwise(p.value, me));
        expect(ls.promising(at(2000, x))).toBe(expected);
      }),
    );
  });

  it("owns keys within its range by the closest member or self, skipping suspected nodes", () => {
    const self = at(0, 1000n);
    const ls = new LeafSet(self, 2);
    for (const [a, v] of [[1, 1010n], [2, 1020n], [3, 990n], [4, 980n]] as const) ls.add(at(a, v));
    expect(ls.covers(key(1015n))).toBe(true);
    expect(ls.covers(key(5000n))).toBe(false);
    expect(ls.closest(key(1003n)).address).toBe(0);
    expect(ls.closest(key(1008n)).address).toBe(1);
    expect(ls.closest(key(1008n), (p) => p.address === 1).address).toBe(0);
    expect(ls.closest(key(985n)).address).toBe(3); // 985 is 5 from both 990 and 980: clockwise from the key wins
  });

  it("covers the whole ring while a side is not full, and then returns the true closest", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.bigInt({ min: 1n, max: RING - 1n }), { maxLength: 6 }), fc.bigInt({ min: 0n, max: RING - 1n }), (vs, k) => {
        const ls = new LeafSet(at(100, 0n), 4);
        vs.forEach((v, i) => ls.add(at(i, v)));
        expect(ls.covers(ringPoint(hex(k)))).toBe(true);
        const best = [0n, ...vs].reduce((a, b) => (ringGap(b, k) < ringGap(a, k) ? b : a));
        expect(ringGap(ls.closest(ringPoint(hex(k))).value, k)).toBe(ringGap(best, k));
      }),
    );
  });

  it("lists its members once each, in step with every addition and removal", () => {
    const ops = fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 11 })), { maxLength: 60 });
    fc.assert(
      fc.property(ops, fc.integer({ min: 1, max: 4 }), (steps, k) => {
        const self = at(1000, 0n);
        const ls = new LeafSet(self, k);
        const pool = Array.from({ length: 12 }, (_, i) => at(i, ((BigInt(i) + 1n) * RING) / 13n));
        for (const [add, i] of steps) {
          if (add) ls.add(pool[i]);
          else ls.remove(i);
          const expected = [...new Set([...ls.successors, ...ls.predecessors].map((p) => p.address))].sort((a, b) => a - b);
          expect(ls.members().map((p) => p.address).sort((a, b) => a - b)).toEqual(expected);
        }
      }),
    );
  });
});
