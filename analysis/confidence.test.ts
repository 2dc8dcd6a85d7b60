import { describe, expect, it } from "vitest";
import { meanWithInterval, t95 } from "./confidence.js";

describe("confidence intervals across seeds", () => {
  it("use Student's t for few replicates", () => {
    // 2, 4, 6: mean 4, sd 2, t(0.975, 2) = 4.303, half-width 4.303 · 2 / √3 = 4.969.
    const m = meanWithInterval([2, 4, 6]);
    expect(m.mean).toBe(4);
    expect(m.low).toBeCloseTo(4 - 4.969, 3);
    expect(m.high).toBeCloseTo(4 + 4.969, 3);
    expect(t95(1)).toBe(12.706);
    expect(t95(1000)).toBe(1.96);
  });

  it("give no interval from a single run, and nothing from none", () => {
    expect(meanWithInterval([5])).toEqual({ n: 1, mean: 5, low: null, high: null });
    expect(meanWithInterval([])).toEqual({ n: 0, mean: null, low: null, high: null });
  });
});
