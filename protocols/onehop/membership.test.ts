import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ringDistance } from "../../sim/runtime/index.js";
import { Membership } from "./membership.js";

const hexId = fc.bigInt({ min: 0n, max: (1n << 160n) - 1n }).map((v) => v.toString(16).padStart(40, "0"));

describe("onehop membership", () => {
  it("answers closest and successor as a scan of the members would", () => {
    fc.assert(
      fc.property(fc.uniqueArray(hexId, { minLength: 1, maxLength: 30 }), hexId, (ids, key) => {
        const m = new Membership();
        ids.forEach((id, address) => m.add({ address, id }));
        const closest = m.closest(key);
        const best = Math.min(...ids.map((id) => Number(ringDistance(id, key) >> 100n)));
        expect(Number(ringDistance(closest?.id as string, key) >> 100n)).toBe(best);
        const sorted = [...ids].sort();
        const after = sorted.find((id) => id > sorted[0]) ?? sorted[0];
        expect(m.successorOf(sorted[0])?.id).toBe(after);
      }),
    );
  });

  it("takes a sorted list in bulk, merging with what it already knows", () => {
    const ids = ["10", "20", "30"].map((p) => p.padEnd(40, "0"));
    const adopted = new Membership();
    adopted.addSorted(ids.map((id, address) => ({ address, id })));
    adopted.remove(1);
    expect(adopted.all().map((c) => c.address)).toEqual([0, 2]);
    adopted.addSorted([{ address: 1, id: ids[1] }, { address: 3, id: "0".repeat(40) }]);
    expect(adopted.all().map((c) => c.address)).toEqual([3, 0, 1, 2]);
    adopted.remove(1);
    expect(adopted.has(1)).toBe(false);
  });
});
