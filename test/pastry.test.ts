import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

describe("the pastry preset in whole runs", () => {
  it("in a static 1000-node network finds the true owner of at least 99.9% of keys", () => {
    const { summary } = run({
      name: "pastry-static",
      nodes: 1000,
      joinPhase: "2m",
      duration: "8m",
      warmup: "6m",
      workload: { lookupInterval: "30s", probeSize: 0 },
      protocol: { name: "pastry" },
    });
    console.log(`pastry static 1000: consistent ${summary.consistent_fraction}, hops ${summary.hops_mean?.toFixed(2)}, latency mean ${summary.latency_ms.mean?.toFixed(0)} ms`);
    expect(summary.consistent_fraction).toBeGreaterThanOrEqual(0.999);
  });

  it("runs under Kazaa churn on 1 Mbit/s uplinks to completion and reports its figures", () => {
    const { summary } = run({
      name: "pastry-kazaa",
      nodes: 200,
      joinPhase: "1m",
      duration: "10m",
      warmup: "5m",
      network: { uplink: "1Mbps" },
      churn: { process: "replacement", preset: "kazaa" },
      protocol: { name: "pastry" },
    });
    console.log(
      `pastry under Kazaa churn, 200 nodes: consistent ${summary.consistent_fraction?.toFixed(3)}, failed ${summary.failed_fraction?.toFixed(4)}, latency mean ${summary.latency_ms.mean?.toFixed(0)} ms, maintenance ${summary.maintenance_bytes_per_node_s?.toFixed(0)} B/s/node`,
    );
    expect(summary.lookups).toBeGreaterThan(3000);
  });
});
