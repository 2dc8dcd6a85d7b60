import { describe, expect, it } from "vitest";
import { parseShard, planSweep, selectShard } from "./sweep-plan.js";

describe("sweep plans", () => {
  it("expand the grid times the replicates, in a fixed order", () => {
    const runs = planSweep({ grid: { "protocol.recovery": ["reactive", "periodic"], "churn.tMed": ["1.4m", "23m"] }, seeds: 3 }, 1);
    expect(runs).toHaveLength(12);
    expect(runs[0].id).toBe("churn.tMed=1.4m,protocol.recovery=periodic,replicate=0");
    expect(new Set(runs.map((r) => r.seed)).size).toBe(12);
    expect(new Set(runs.map((r) => r.dir)).size).toBe(12);
  });

  it("never change a run's seed when points or replicates are added, or the grid reordered", () => {
    const small = planSweep({ grid: { "churn.tMed": ["1.4m"], "protocol.recovery": ["periodic"] }, seeds: 1 }, 7);
    const large = planSweep({ grid: { "protocol.recovery": ["reactive", "periodic"], "churn.tMed": ["23m", "1.4m", "5m"] }, seeds: 4 }, 7);
    const match = large.find((r) => r.id === small[0].id);
    expect(match?.seed).toBe(small[0].seed);
    expect(match?.dir).toBe(small[0].dir);
    // A different sweep seed gives different runs.
    expect(planSweep({ grid: { "churn.tMed": ["1.4m"], "protocol.recovery": ["periodic"] }, seeds: 1 }, 8)[0].seed).not.toBe(small[0].seed);
  });

  it("split into shards that cover every run exactly once", () => {
    const runs = planSweep({ grid: { a: [1, 2, 3, 4, 5] }, seeds: 2 }, 1);
    const shards = [0, 1, 2].map((index) => selectShard(runs, { index, count: 3 }));
    expect(shards.flat().map((r) => r.id).sort()).toEqual(runs.map((r) => r.id).sort());
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(() => parseShard("3/3")).toThrow(/expected i\/n with 0 ≤ i < n/);
    expect(() => planSweep({ grid: { a: [1, 1] }, seeds: 1 }, 1)).toThrow(/\/sweep\/grid\/a: the same value appears twice/);
  });
});
