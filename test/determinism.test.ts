import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

const doc = (seed: number, protocol: string) => ({
  name: "determinism",
  seed,
  nodes: 120,
  duration: "6m",
  warmup: "3m",
  joinPhase: "1m",
  network: { uplink: "1Mbps", queue: "16KB", loss: 0.01 },
  churn: { process: "replacement", tMed: "2m" },
  workload: { lookupInterval: "5s", probeInterval: "20s", probeSize: 4 },
  protocol: { name: protocol },
  metrics: { window: "30s" },
});

describe.each(["bamboo", "onehop"])("determinism of %s", (protocol) => {
  it("gives byte-identical CSV files for the same scenario and seed", () => {
    const a = run(doc(42, protocol));
    const b = run(doc(42, protocol));
    for (const file of ["lookups.csv", "bandwidth.csv", "timeseries.csv"]) {
      expect(a.read(file).length).toBeGreaterThan(100);
      expect(a.read(file)).toBe(b.read(file));
    }
    expect(a.summary).toEqual(b.summary);
  });

  it("gives a different run for a different seed", () => {
    expect(run(doc(1, protocol)).read("lookups.csv")).not.toBe(run(doc(2, protocol)).read("lookups.csv"));
  });
});
