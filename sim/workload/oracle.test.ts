import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idToBigInt, ringDistance } from "../runtime/ids.js";
import { OwnerOracle } from "./oracle.js";

const hexId = fc.bigInt({ min: 0n, max: (1n << 160n) - 1n }).map((v) => v.toString(16).padStart(40, "0"));
const smallId = fc.bigInt({ min: 0n, max: 4095n }).map((v) => v.toString(16).padStart(40, "0"));

describe("OwnerOracle", () => {
  it("finds the numerically closest identifier around the ring, as a linear scan does", () => {
    fc.assert(
      fc.property(fc.uniqueArray(hexId, { minLength: 1, maxLength: 40 }), hexId, (ids, key) => {
        const oracle = new OwnerOracle("ring");
        for (const id of ids) oracle.add(id);
        const best = ids.reduce((a, b) => {
          const da = ringDistance(a, key);
          const db = ringDistance(b, key);
          return db < da ? b : a;
        });
        const owner = oracle.owner(key) as string;
        expect(ringDistance(owner, key)).toBe(ringDistance(best, key));
      }),
    );
  });

  it("with successor ownership returns the first identifier at or after the key, wrapping round", () => {
    fc.assert(
      fc.property(fc.uniqueArray(hexId, { minLength: 1, maxLength: 40 }), hexId, (ids, key) => {
        const oracle = new OwnerOracle("successor");
        for (const id of ids) oracle.add(id);
        const sorted = [...ids].sort();
        const expected = sorted.find((id) => id >= key) ?? sorted[0];
        expect(oracle.owner(key)).toBe(expected);
      }),
    );
  });

  it("with XOR ownership returns the identifier at the smallest XOR distance, as a linear scan does", () => {
    fc.assert(
      // Identifiers drawn from a small range share long prefixes, which takes the search deep into the trie.
      fc.property(fc.uniqueArray(fc.oneof(hexId, smallId), { minLength: 1, maxLength: 40 }), fc.oneof(hexId, smallId), (ids, key) => {
        const oracle = new OwnerOracle("xor");
        for (const id of ids) oracle.add(id);
        const k = idToBigInt(key);
        const best = ids.reduce((a, b) => ((idToBigInt(b) ^ k) < (idToBigInt(a) ^ k) ? b : a));
        expect(oracle.owner(key)).toBe(best);
      }),
      { numRuns: 500 },
    );
  });

  it("forgets removed nodes and has no owner when empty", () => {
    const oracle = new OwnerOracle("ring");
    const a = "1".padStart(40, "0");
    const b = "f".repeat(40);
    oracle.add(a);
    oracle.add(b);
    // The key just below 0 is closest to b around the wrap.
    expect(oracle.owner("f".repeat(39) + "e")).toBe(b);
    oracle.remove(b);
    expect(oracle.owner("f".repeat(39) + "e")).toBe(a);
    oracle.remove(a);
    expect(oracle.owner(a)).toBeNull();
    expect(idToBigInt(a)).toBe(1n);
  });

  it("stays exact as hundreds of nodes join and depart, under every ownership rule", () => {
    const linearOwner = (ids: Iterable<string>, key: string, ownership: "ring" | "successor" | "xor") => {
      const k = idToBigInt(key);
      const sorted = [...ids].sort();
      if (ownership === "successor") return sorted.find((id) => id >= key) ?? sorted[0];
      if (ownership === "xor") return sorted.reduce((a, b) => ((idToBigInt(b) ^ k) < (idToBigInt(a) ^ k) ? b : a));
      return sorted.reduce((a, b) => {
        const da = ringDistance(a, key);
        const db = ringDistance(b, key);
        return db < da ? b : a;
      });
    };
    fc.assert(
      fc.property(
        fc.constantFrom("ring" as const, "successor" as const, "xor" as const),
        fc.array(fc.tuple(fc.boolean(), fc.oneof(hexId, smallId)), { minLength: 200, maxLength: 600 }),
        fc.array(fc.oneof(hexId, smallId), { minLength: 5, maxLength: 5 }),
        (ownership, steps, keys) => {
          const oracle = new OwnerOracle(ownership);
          const present = new Set<string>();
          for (const [join, id] of steps) {
            // A departure takes an identifier present (the engine never removes one that is not).
            const leaving = join || present.size === 0 ? null : [...present][parseInt(id.slice(-4), 16) % present.size];
            if (leaving !== null) {
              oracle.remove(leaving);
              present.delete(leaving);
            } else if (!present.has(id)) {
              oracle.add(id);
              present.add(id);
            }
          }
          expect(oracle.size).toBe(present.size);
          for (const key of keys) {
            const owner = oracle.owner(key);
            if (present.size === 0) expect(owner).toBeNull();
            else if (ownership === "ring") expect(ringDistance(owner as string, key)).toBe(ringDistance(linearOwner(present, key, "ring"), key));
            else expect(owner).toBe(linearOwner(present, key, ownership));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses to add a node twice or remove one not present", () => {
    const oracle = new OwnerOracle("ring");
    const a = "a".repeat(40);
    oracle.add(a);
    expect(() => oracle.add(a)).toThrow(/already present/);
    oracle.remove(a);
    expect(() => oracle.remove(a)).toThrow(/not present/);
  });
});
