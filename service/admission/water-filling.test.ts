import { describe, expect, it } from "vitest";
import { lowestLevel, maxMinShares } from "./water-filling.js";

describe("max-min shares by water-filling", () => {
  it("serves small demands fully and splits the rest evenly (hand-worked)", () => {
    // 10 over 4: level 2.5; the 1 is served, 9 over 3 = 3; the 2 is served, 7 over 2 = 3.5 each.
    expect(maxMinShares([1, 2, 8, 20], 10)).toEqual([1, 2, 3.5, 3.5]);
    expect(maxMinShares([1, 2], 10)).toEqual([1, 2]);
    expect(maxMinShares([5, 5, 5], 9)).toEqual([3, 3, 3]);
    expect(maxMinShares([], 9)).toEqual([]);
    expect(() => maxMinShares([-1], 1)).toThrow(/demand/);
  });

  it("gives fssim Test 1's targets: the slow eight get 0.375 puts/s in all, 10/s and 1/s about 0.31 each", () => {
    const demands = [10, 1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125];
    const shares = maxMinShares(demands, 1);
    expect(shares.slice(2)).toEqual(demands.slice(2));
    expect(shares.slice(2).reduce((a, b) => a + b, 0)).toBeCloseTo(0.375, 12);
    expect(shares[0]).toBeCloseTo(0.3125, 12);
    expect(shares[1]).toBeCloseTo(0.3125, 12);
  });

  it("gives fssim Test 3's targets: the 100 slow clients fully served, the six fast about 0.042 puts/s", () => {
    const demands = [...Array(3).fill(10), ...Array(3).fill(1), ...Array(50).fill(0.01), ...Array(50).fill(0.005)];
    const shares = maxMinShares(demands, 1);
    expect(shares.slice(6)).toEqual(demands.slice(6));
    for (const s of shares.slice(0, 6)) expect(s).toBeCloseTo(0.25 / 6, 12);
  });

  it("gives fssim Test 4's targets: equal sevenths of the space-time capacity", () => {
    const C = 1024 * 3600 + 1024;
    const oneMaxPutPerS = 1024 * 3600;
    // 20/s and 2/s of 1 kB·1 h; 1/s of it; 4/s of 1 kB·15 min; 12/s of 1 kB·5 min; 4/s of 256 B·1 h; 16/s of 64 B·1 h.
    const demands = [20, 2, 1, 1, 1, 1, 1].map((k) => k * oneMaxPutPerS);
    for (const s of maxMinShares(demands, C)) expect(s).toBeCloseTo(C / 7, 6);
  });
});

describe("fssim's lowest fair-sharing level", () => {
  const usages = [
    { client: "a", usage: 0 },
    { client: "b", usage: 10 },
    { client: "c", usage: 30 },
    { client: "d", usage: 80 },
  ];
  it("returns the waiting clients at or below the mean, raising the level until one is found", () => {
    // Mean 30: a, b and c drop; of those only the waiting ones count.
    expect(lowestLevel(usages, new Set(["b", "c", "d"]))).toEqual(["b", "c"]);
    expect(lowestLevel(usages, new Set(["a", "d"]))).toEqual(["a"]);
    // Only d waits: the level rises until d is the mean of what is left.
    expect(lowestLevel(usages, new Set(["d"]))).toEqual(["d"]);
    expect(lowestLevel(usages, new Set())).toEqual([]);
  });
});
