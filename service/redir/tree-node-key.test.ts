import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bigToId, idToBig, partitionOf, treeNodeKey } from "./tree-node-key.js";

const RING = 1n << 160n;
const anyKey = fc.bigInt({ min: 0n, max: RING - 1n });

describe("tree node keys", () => {
  it("puts level 0's single tree node at the namespace itself", () => {
    const ns = idToBig("8000000000000000000000000000000000000001");
    expect(treeNodeKey(ns, 12345n, 0, 2)).toBe("8000000000000000000000000000000000000001");
  });

  it("follows low + namespace / 2^l on a hand-worked binary case", () => {
    // Level 1: key in the upper half, low = 2^159; namespace 2^100 scaled by 1/2 gives 2^99.
    expect(treeNodeKey(1n << 100n, RING - 1n, 1, 2)).toBe(bigToId((1n << 159n) + (1n << 99n)));
    // Level 2: key in the second quarter, low = 2^158; namespace 2^100 / 4 = 2^98.
    expect(treeNodeKey(1n << 100n, (1n << 158n) + 7n, 2, 2)).toBe(bigToId((1n << 158n) + (1n << 98n)));
  });

  it("keeps every tree node inside its partition, for any branching", () => {
    fc.assert(
      fc.property(anyKey, anyKey, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 2, max: 5 }), (ns, key, level, b) => {
        const node = idToBig(treeNodeKey(ns, key, level, b));
        expect(node < RING).toBe(true);
        expect(partitionOf(node, level, b)).toBe(partitionOf(key, level, b));
      }),
    );
  });

  it("gives keys of one partition the same tree node, and the two halves different ones", () => {
    const ns = 0xabcdefn << 120n;
    expect(treeNodeKey(ns, 1n, 1, 2)).toBe(treeNodeKey(ns, (1n << 159n) - 1n, 1, 2));
    expect(treeNodeKey(ns, 1n, 1, 2)).not.toBe(treeNodeKey(ns, 1n << 159n, 1, 2));
  });

  it("lets the last partition take the remainder when b^l does not divide the ring", () => {
    expect(partitionOf(RING - 1n, 1, 3)).toBe(2n);
    expect(partitionOf(RING - 1n, 5, 3)).toBe(242n);
  });
});
