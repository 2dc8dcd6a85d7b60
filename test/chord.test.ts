import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

describe("Chord in whole runs", () => {
  it.each(["recursive", "iterative"])("in a static 1000-node network finds the true owner of at least 99.9% of keys (%s), in about ½ log2 N hops", (routing) => {
    const { summary } = run({
      name: `chord-static-${routing}`,
      nodes: 1000,
      joinPhase: "2m",
      duration: "9m",
      warmup: "6m",
      workload: { lookupInterval: "20s" },
      protocol: { name: "chord", routing },
    });
    const half = Math.log2(1000) / 2;
    console.log(
      `chord ${routing} static 1000: consistent ${summary.consistent_fraction}, hops ${summary.hops_mean?.toFixed(2)} (½ log2 N = ${half.toFixed(2)}), latency mean ${summary.latency_ms.mean?.toFixed(0)} ms, maintenance ${summary.maintenance_bytes_per_node_s?.toFixed(0)} B/s/node`,
    );
    expect(summary.consistent_fraction).toBeGreaterThanOrEqual(0.999);
    // The successor list shortens the last hops, so paths come out a little under ½ log2 N.
    expect(summary.hops_mean).toBeGreaterThan(half - 2);
    expect(summary.hops_mean).toBeLessThan(half + 1);
  });

  it("converges after nodes join faster than it stabilises: 128 nodes joining in a minute, 5-minute timers, no churn", () => {
    // Every node joins before any has stabilised twice: a newcomer's successor, found through a ring that does not
    // know the other newcomers yet, is often far off. The ring must still come out whole: before stabilisation
    // walked on to each closer successor at once and a node told its former predecessor of a newcomer, lookups
    // found the true owner only 54% of the time in the second hour.
    const { summary } = run({
      name: "chord-slow-timers",
      nodes: 128,
      joinPhase: "1m",
      duration: "2h",
      warmup: "1h",
      workload: { lookupInterval: "1m" },
      protocol: { name: "chord", stabilize: "300s", fixFingers: "300s", checkPredecessor: "300s" },
    });
    console.log(`chord, 128 nodes joining in a minute, 5-minute timers: consistent ${summary.consistent_fraction?.toFixed(4)} over the second hour`);
    expect(summary.lookups).toBeGreaterThan(7000);
    expect(summary.failed_fraction).toBe(0);
    expect(summary.consistent_fraction).toBeGreaterThanOrEqual(0.999);
  });

  it("with proximity-aware fingers, lookups get faster and stay correct", () => {
    const at = (fingerPns: boolean) =>
      run({
        name: `chord-pns-${fingerPns}`,
        nodes: 300,
        joinPhase: "1m",
        duration: "10m",
        warmup: "7m",
        workload: { lookupInterval: "20s" },
        protocol: { name: "chord", fingerPns },
      }).summary;
    const plain = at(false);
    const near = at(true);
    console.log(`chord 300 static: mean latency ${plain.latency_ms.mean?.toFixed(0)} ms plain, ${near.latency_ms.mean?.toFixed(0)} ms with proximity-aware fingers (stretch ${plain.stretch.p50?.toFixed(2)} → ${near.stretch.p50?.toFixed(2)})`);
    expect(near.consistent_fraction).toBeGreaterThanOrEqual(0.999);
    expect(near.latency_ms.mean as number).toBeLessThan(0.85 * (plain.latency_ms.mean as number));
  });

  it("under churn, adaptive timeouts (TCP-style, Vivaldi) beat a fixed 5 s timeout", () => {
    const at = (timeouts: string) =>
      run({
        name: `chord-timeouts-${timeouts}`,
        nodes: 200,
        joinPhase: "1m",
        duration: "10m",
        warmup: "5m",
        churn: { process: "replacement", preset: "kazaa" },
        protocol: { name: "chord", timeouts },
      }).summary.latency_ms.mean as number;
    const [fixed, tcp, vivaldi] = ["fixed", "tcp", "vivaldi"].map(at);
    console.log(`chord under Kazaa churn, 200 nodes, mean latency: fixed ${fixed.toFixed(0)} ms, tcp ${tcp.toFixed(0)} ms, vivaldi ${vivaldi.toFixed(0)} ms`);
    expect(tcp).toBeLessThan(fixed);
    expect(vivaldi).toBeLessThan(fixed);
  });

  it("runs under Kazaa churn to completion and reports its figures", () => {
    const { summary } = run({
      name: "chord-kazaa",
      nodes: 300,
      joinPhase: "1m",
      duration: "10m",
      warmup: "5m",
      churn: { process: "replacement", preset: "kazaa" },
      protocol: { name: "chord" },
    });
    console.log(
      `chord under Kazaa churn, 300 nodes: consistent ${summary.consistent_fraction?.toFixed(3)}, failed ${summary.failed_fraction?.toFixed(4)}, latency mean ${summary.latency_ms.mean?.toFixed(0)} ms, maintenance ${summary.maintenance_bytes_per_node_s?.toFixed(0)} B/s/node`,
    );
    expect(summary.lookups).toBeGreaterThan(5000);
    expect(summary.consistent_fraction).toBeGreaterThan(0.7);
  });

  it("with nodes returning under their old identity (p2psim's workload, 10 s timers) keeps its ring (no two-node loops) and its join traffic small", () => {
    // Sessions and downtimes of 5 minutes' median: every node leaves and returns several times in the run.
    const { summary } = run({
      name: "chord-revivals",
      nodes: 300,
      joinPhase: "1m",
      duration: "90m",
      warmup: "30m",
      churn: { process: "lifetime", sessions: { distribution: "exponential", median: "5m" }, downtime: { distribution: "exponential", median: "5m" } },
      workload: { lookupInterval: "1m" },
      protocol: { name: "chord", stabilize: "10s", fixFingers: "10s", checkPredecessor: "10s", timeouts: "oracle" },
    });
    const join = summary.bytes_per_node_s_by_category.join?.sent ?? 0;
    console.log(
      `chord, 300 nodes returning under their old identity: consistent ${summary.consistent_fraction?.toFixed(3)}, failed ${summary.failed_fraction?.toFixed(4)}, join traffic ${join.toFixed(1)} B/s/node, maintenance ${summary.maintenance_bytes_per_node_s?.toFixed(0)} B/s/node`,
    );
    expect(summary.failed_fraction).toBeLessThan(0.02);
    expect(summary.consistent_fraction).toBeGreaterThan(0.95);
    expect(join).toBeLessThan(5);
  });
});
