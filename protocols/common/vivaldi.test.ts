import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../sim/engine/seeded-random.js";
import { syntheticKing } from "../../sim/network/latency/synthetic-king.js";
import { VivaldiTimeouts } from "./timeouts.js";
import { Vivaldi } from "./vivaldi.js";

describe("Vivaldi coordinates", () => {
  it("learn a King-like latency matrix: the median relative prediction error falls", () => {
    const hosts = 120;
    const matrix = syntheticKing(hosts, SeededRandom.root(3).fork("latency"));
    const rtt = (a: number, b: number) => 2 * matrix.oneWayMs(a, b);
    const rng = SeededRandom.root(4);
    const nodes = Array.from({ length: hosts }, (_, i) => new Vivaldi(2, rng.fork(`v${i}`)));
    const medianError = () => {
      const errors: number[] = [];
      for (let k = 0; k < 3000; k++) {
        const a = rng.int(hosts);
        const b = rng.int(hosts);
        if (a !== b) errors.push(Math.abs(nodes[a].predict(nodes[b].coordinate) - rtt(a, b)) / rtt(a, b));
      }
      return errors.sort((x, y) => x - y)[errors.length >> 1];
    };
    const before = medianError();
    for (let round = 0; round < 60_000; round++) {
      const a = rng.int(hosts);
      const b = rng.int(hosts);
      if (a !== b) nodes[a].observe(rtt(a, b), nodes[b].coordinate);
    }
    const after = medianError();
    console.log(`Vivaldi on a 120-host King-like matrix: median relative error ${before.toFixed(2)} → ${after.toFixed(2)}`);
    expect(after).toBeLessThan(0.25);
    expect(after).toBeLessThan(before / 3);
  });

  it("gives timeouts from coordinates once it has samples, and the maximum before", () => {
    const rng = SeededRandom.root(5);
    const t = new VivaldiTimeouts(2, rng, 5000);
    expect(t.timeout(7)).toBe(5000);
    const remote = new Vivaldi(2, rng.fork("remote"));
    for (let i = 0; i < 200; i++) t.observeCoordinate(7, 100, remote.coordinate);
    const rto = t.timeout(7);
    expect(rto).toBeGreaterThan(100);
    expect(rto).toBeLessThan(400);
  });
});
