import { describe, expect, it } from "vitest";
import { FRACTION, NON_NEGATIVE } from "../sim/metrics/registry.js";
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

  it("stay within the metric's possible range, at both ends", () => {
    // Two seeds: t(1) = 12.706 stretches the interval past what a fraction or a latency can be.
    expect(meanWithInterval([0.99, 1], FRACTION)).toEqual({ n: 2, mean: 0.995, low: expect.closeTo(0.93147, 4), high: 1 });
    expect(meanWithInterval([0, 0.001], FRACTION)).toEqual({ n: 2, mean: 0.0005, low: 0, high: expect.closeTo(0.006853, 5) });
    expect(meanWithInterval([100, 800], NON_NEGATIVE)).toMatchObject({ low: 0, high: expect.closeTo(4897.1, 0) });
    // Unbounded by default: a protocol's own sample may be negative.
    expect(meanWithInterval([100, 800]).low).toBeCloseTo(450 - 4447.1, 0);
  });
});
