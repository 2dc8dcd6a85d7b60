import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { peerOf } from "../common/identifiers.js";
import { RoutingTable } from "./routing-table.js";

const node = (address: number, hexPrefix: string) => peerOf({ address, id: hexPrefix.padEnd(40, "0") });
const self = node(0, "a000");

describe("routing table", () => {
  it("files a node by shared prefix and next digit, and finds it for keys in its cell", () => {
    const t = new RoutingTable(self, 4, true);
    expect(t.consider(node(1, "b"), 50)).toBe(true); // level 0, digit b
    expect(t.consider(node(2, "a3"), 50)).toBe(true); // level 1, digit 3
    expect(t.lookup("b7".padEnd(40, "f"))?.address).toBe(1);
    expect(t.lookup("a3ff".padEnd(40, "0"))?.address).toBe(2);
    expect(t.lookup("c".padEnd(40, "0"))).toBeUndefined();
    expect(t.row(1).map((p) => p.address)).toEqual([2]);
    expect(t.highestLevel()).toBe(1);
  });

  it("with PNS replaces an occupied cell only for an RTT below 0.9 × the incumbent's", () => {
    const t = new RoutingTable(self, 4, true);
    t.consider(node(1, "b1"), 100);
    expect(t.wouldAccept(node(2, "b2"), () => 95)).toBe(false);
    expect(t.consider(node(2, "b2"), 95)).toBe(false);
    expect(t.consider(node(3, "b3"), 89)).toBe(true);
    expect(t.lookup("b".padEnd(40, "0"))?.address).toBe(3);
  });

  it("without PNS keeps whoever came first", () => {
    const t = new RoutingTable(self, 4, false);
    t.consider(node(1, "b1"), 100);
    expect(t.consider(node(3, "b3"), 1)).toBe(false);
  });

  it("works in base 2", () => {
    const t = new RoutingTable(self, 1, true);
    expect(t.levels).toBe(160);
    // a = 1010, 2 = 0010: they differ in the first bit.
    expect(t.consider(node(1, "2"), 10)).toBe(true);
    expect(t.lookup("3".padEnd(40, "0"))?.address).toBe(1);
    expect(t.remove(1)).toBe(true);
    expect(t.size).toBe(0);
  });

  it("lists its entries, row by row, in step with every change", () => {
    // Nodes in a few cells of rows 0 and 1, offered with random RTTs (so PNS replaces some) or removed.
    const pool = ["b1", "b2", "c1", "a31", "a32", "a4", "5"].map((prefix, i) => node(i + 1, prefix));
    const ops = fc.array(fc.tuple(fc.integer({ min: 0, max: pool.length - 1 }), fc.option(fc.integer({ min: 1, max: 200 }))), { maxLength: 60 });
    fc.assert(
      fc.property(ops, (steps) => {
        const t = new RoutingTable(self, 4, true);
        for (const [i, rtt] of steps) {
          if (rtt === null) t.remove(pool[i].address);
          else t.consider(pool[i], rtt);
          const rows = Array.from({ length: t.levels }, (_, level) => t.row(level)).flat();
          expect(t.entries().map((p) => p.address)).toEqual(rows.map((p) => p.address));
          expect(t.entries().length).toBe(t.size);
        }
      }),
    );
  });
});
