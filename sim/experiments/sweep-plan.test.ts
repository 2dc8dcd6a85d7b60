import { describe, expect, it } from "vitest";
import { parseShard, planSweep, selectShard } from "./sweep-plan.js";

describe("sweep plans", () => {
  it("expand the grid times the replicates, in a fixed order", () => {
    const runs = planSweep({ grid: { "protocol.recovery": ["reactive", "periodic"], "churn.tMed": ["1.4m", "23m"] }, seeds: 3 }, 1);
    expect(runs).toHaveLength(12);
    expect(runs[0].id).toBe("churn.tMed=1.4m,protocol.recovery=periodic,replicate=0");
    expect(new Set(runs.map((r) => r.dir)).size).toBe(12);
    // The protocol's options are the design: 2 churn levels × 3 replicates of environment, each shared by both designs.
    expect(new Set(runs.map((r) => r.seed)).size).toBe(6);
  });

  it("give compared designs the same seeds, and every environment and replicate its own", () => {
    const grid = { protocol: [{ name: "bamboo" }, { name: "chord" }], "protocol.recovery": ["periodic", "reactive"], nodes: [100, 1000] };
    const runs = planSweep({ grid, seeds: 2 }, 3);
    const seedOf = (nodes: number, replicate: number) => new Set(runs.filter((r) => r.point.nodes === nodes && r.replicate === replicate).map((r) => r.seed));
    for (const n of [100, 1000]) for (const r of [0, 1]) expect(seedOf(n, r).size).toBe(1);
    expect(new Set(runs.map((r) => r.seed)).size).toBe(4);
    // Named design axes replace the default; [] makes every point an environment of its own.
    const byNodes = planSweep({ grid, seeds: 1, design: ["nodes"] }, 3);
    expect(new Set(byNodes.map((r) => r.seed)).size).toBe(4);
    expect(new Set(planSweep({ grid, seeds: 1, design: [] }, 3).map((r) => r.seed)).size).toBe(8);
    expect(() => planSweep({ grid, seeds: 1, design: ["churn.tMed"] }, 3)).toThrow(/\/sweep\/design\/0: "churn.tMed" is not a grid parameter; expected one of: protocol, protocol.recovery, nodes/);
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
