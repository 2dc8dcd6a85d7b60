import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

/** Gets on a static Bamboo network under each of Bamboo's get modes: how many replicas each asks, and how long it takes. */
function gets(getMode: string) {
  const r = run({
    name: "get-modes",
    nodes: 30,
    duration: "5m",
    warmup: "2m",
    joinPhase: "1m",
    churn: { process: "none" },
    workload: { lookupInterval: "60s" },
    protocol: { name: "bamboo" },
    storage: { replication: "bamboo", getMode, workload: { putInterval: "20s", getInterval: "5s" } },
  });
  const rows = r.read("gets.csv").trim().split("\n").slice(1).map((line) => line.split(","));
  const contacted = rows.map((c) => Number(c[9]));
  const latencies = rows.map((c) => Number(c[11])).sort((a, b) => a - b);
  return {
    complete: r.summary.storage?.get_complete_fraction,
    contactedMean: contacted.reduce((s, x) => s + x, 0) / contacted.length,
    contactedMax: Math.max(...contacted),
    median: latencies[Math.floor(latencies.length / 2)],
  };
}

describe("the gateway's get modes (Bamboo's Dht)", () => {
  it("asks the root alone, a synced majority, or every member of a majority, and is slower the more it asks", () => {
    const rootOnly = gets("rootOnly");
    const quorumSync = gets("quorumSync");
    const quorum = gets("quorum");
    // A static network: nearly every get returns every value; asking a plain majority misses nothing the root lacks
    // (measured: 1 get in 1,106 partial for rootOnly and quorumSync, a value that had not reached the root yet).
    for (const m of [rootOnly, quorumSync]) expect(m.complete).toBeGreaterThan(0.99);
    expect(quorum.complete).toBe(1);
    expect(rootOnly.contactedMax).toBe(1);
    // Synced replicas count as answers, so the deployed mode asks fewer replicas than a plain quorum (all 7 others).
    expect(quorumSync.contactedMean).toBeLessThan(quorum.contactedMean);
    // The root and all 7 others are asked; the get ends at the 5th answer.
    expect(quorum.contactedMean).toBe(8);
    expect(rootOnly.median).toBeLessThan(quorum.median);
  });
});
