import { describe, expect, it } from "vitest";
import { maxMinFairness, waterFill } from "./client-metrics.js";

describe("max-min fairness of what clients were given", () => {
  it("water-fills: clients asking less than the level get all they ask, the rest share what is left", () => {
    expect(waterFill([1, 1, 100], 12)).toEqual([1, 1, 10]);
    expect(waterFill([5, 5], 100)).toEqual([5, 5]);
    expect(waterFill([3, 9, 9], 12)).toEqual([3, 4.5, 4.5]);
  });

  it("scores an allocation at its max-min shares perfect, and one that starves the light clients far from it", () => {
    expect(maxMinFairness([1, 1, 100], [1, 1, 10])).toEqual({ deviation: 0, jain: 1 });
    const unfair = maxMinFairness([1, 1, 100], [0.2, 0.2, 11.6]) as { deviation: number; jain: number };
    expect(unfair.deviation).toBeCloseTo(0.8);
    expect(unfair.jain).toBeLessThan(0.7);
    expect(maxMinFairness([0, 0], [0, 0])).toBeNull();
  });
});
