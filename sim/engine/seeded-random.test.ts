import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "./seeded-random.js";

const draw = (r: SeededRandom, n = 5) => Array.from({ length: n }, () => r.next());

describe("SeededRandom", () => {
  it("repeats its sequence for the same seed and path", () => {
    expect(draw(SeededRandom.root(7).fork("churn"))).toEqual(draw(SeededRandom.root(7).fork("churn")));
    expect(draw(SeededRandom.root(7).fork("churn"))).not.toEqual(draw(SeededRandom.root(8).fork("churn")));
  });

  it("forks without consuming the parent, so adding a stream shifts no other", () => {
    const plain = SeededRandom.root(1);
    const forked = SeededRandom.root(1);
    forked.fork("new-stream").next();
    expect(draw(forked)).toEqual(draw(plain));
    // Sibling streams do not depend on the order they were created or used in.
    const a1 = SeededRandom.root(1).fork("a");
    const root = SeededRandom.root(1);
    const b = root.fork("b");
    draw(b, 100);
    expect(draw(root.fork("a"))).toEqual(draw(a1));
  });

  it("draws integers in [0, n)", () => {
    const r = SeededRandom.root(3);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
        const x = r.int(n);
        return Number.isInteger(x) && x >= 0 && x < n;
      }),
    );
  });

  it("makes 160-bit keys as 40 hex digits, with every digit in use", () => {
    const r = SeededRandom.root(4);
    const keys = Array.from({ length: 200 }, () => r.bits160hex());
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{40}$/);
    expect(new Set(keys.join("")).size).toBe(16);
    expect(new Set(keys).size).toBe(200);
  });

  it("draws gamma variates with the right mean, shapes below and above 1", () => {
    const r = SeededRandom.root(5);
    for (const shape of [0.4, 1.5, 3]) {
      let sum = 0;
      for (let i = 0; i < 100_000; i++) sum += r.gamma(shape);
      expect(sum / 100_000).toBeCloseTo(shape, 1);
    }
  });
});
