import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

describe("Kademlia in whole runs", () => {
  it("in a static 1000-node network finds the XOR-closest node for at least 99.9% of keys, in a few hops", () => {
    const { summary } = run({
      name: "kademlia-static",
      nodes: 1000,
      joinPhase: "2m",
      duration: "7m",
      warmup: "5m",
      workload: { lookupInterval: "30s", probeSize: 0 },
      protocol: { name: "kademlia" },
    });
    console.log(
      `kademlia static 1000: ${summary.lookups} lookups, consistent ${summary.consistent_fraction}, hops ${summary.hops_mean?.toFixed(2)}, latency mean ${summary.latency_ms.mean?.toFixed(0)} ms, total ${summary.total_bytes_per_node_s?.toFixed(0)} B/s/node`,
    );
    expect(summary.lookups).toBeGreaterThan(3000);
    expect(summary.consistent_fraction).toBeGreaterThanOrEqual(0.999);
    // With k = 20 contacts per bucket the closest node is reached in a couple of hops.
    expect(summary.hops_mean).toBeGreaterThan(1);
    expect(summary.hops_mean).toBeLessThan(log2(1000) / 2);
  });

  it("runs under Kazaa churn to completion and reports its figures", () => {
    const { summary } = run({
      name: "kademlia-kazaa",
      nodes: 150,
      joinPhase: "1m",
      duration: "8m",
      warmup: "4m",
      workload: { lookupInterval: "20s" },
      churn: { process: "replacement", preset: "kazaa" },
      protocol: { name: "kademlia" },
    });
    console.log(
      `kademlia under Kazaa churn, 150 nodes: consistent ${summary.consistent_fraction?.toFixed(3)}, failed ${summary.failed_fraction?.toFixed(4)}, latency mean ${summary.latency_ms.mean?.toFixed(0)} ms, total ${summary.total_bytes_per_node_s?.toFixed(0)} B/s/node`,
    );
    expect(summary.lookups).toBeGreaterThan(1000);
    expect(summary.consistent_fraction).toBeGreaterThan(0.5);
  });
});

function log2(x: number): number {
  return Math.log(x) / Math.LN2;
}
