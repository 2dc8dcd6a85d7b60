import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemberOracle } from "./member-oracle.js";
import { bigToId } from "./tree-node-key.js";
import { naiveSuccessor } from "./test-namespace.js";

const NS = "00000000000000000000000000000000000000aa";
const id = (n: number) => bigToId(BigInt(n) << 150n);
const member = (n: number) => ({ address: n, id: id(n) });

describe("the member oracle", () => {
  it("knows the successor among live members, strictly above the key and wrapping", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { maxLength: 30 }), fc.integer({ min: 0, max: 1023 }), (ns, k) => {
        const oracle = new MemberOracle();
        for (const n of ns) oracle.registered(NS, member(n), 1000);
        expect(oracle.successor(NS, id(k), 0)?.id ?? null).toBe(naiveSuccessor(ns.map(id), id(k)));
      }),
    );
  });

  it("drops departed members at once and unrefreshed ones at their expiry", () => {
    const oracle = new MemberOracle();
    oracle.registered(NS, member(1), 1000);
    oracle.registered(NS, member(2), 500);
    oracle.registered(NS, member(3), 1000);
    expect(oracle.successor(NS, id(1), 0)?.id).toBe(id(2));
    expect(oracle.successor(NS, id(1), 600)?.id).toBe(id(3));
    oracle.registered(NS, member(2), 2000);
    expect(oracle.successor(NS, id(1), 600)?.id).toBe(id(2));
    oracle.departed(NS, member(2));
    expect(oracle.successor(NS, id(1), 0)?.id).toBe(id(3));
    expect(oracle.liveCount(NS, 0)).toBe(2);
    expect(oracle.successor(NS, id(3), 1500)).toBeNull();
  });

  it("tells the ways a lookup can be wrong", () => {
    const oracle = new MemberOracle();
    expect(oracle.judge(NS, id(5), null, 0)).toBe("correctEmpty");
    oracle.registered(NS, member(10), 1000);
    oracle.registered(NS, member(20), 1000);
    expect(oracle.judge(NS, id(5), member(10), 0)).toBe("correct");
    expect(oracle.judge(NS, id(5), member(20), 0)).toBe("wrongMember");
    expect(oracle.judge(NS, id(5), member(7), 0)).toBe("staleMember");
    expect(oracle.judge(NS, id(5), null, 0)).toBe("missed");
    expect(oracle.judge(NS, id(25), member(10), 0)).toBe("correct");
  });
});
