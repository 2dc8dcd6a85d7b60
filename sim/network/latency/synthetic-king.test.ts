import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../engine/seeded-random.js";
import { loadKingTopology } from "./latency-files.js";
import type { LatencyMatrix } from "./latency-matrix.js";
import { syntheticKing } from "./synthetic-king.js";

const model = (seed: number, hosts = 1740) => syntheticKing(hosts, SeededRandom.root(seed).fork("latency"));

function sampleDelays(m: LatencyMatrix, n: number): number[] {
  const r = SeededRandom.root(99);
  const xs: number[] = [];
  while (xs.length < n) {
    const a = r.int(m.hosts);
    const b = r.int(m.hosts);
    if (a !== b) xs.push(m.oneWayMs(a, b));
  }
  return xs.sort((x, y) => x - y);
}

/** Fraction of random triples (a, b, c) where going through b is shorter than the direct path a–c. */
function triangleViolations(m: LatencyMatrix, n: number): number {
  const r = SeededRandom.root(98);
  let violations = 0;
  for (let k = 0; k < n; k++) {
    const a = r.int(m.hosts);
    const b = r.int(m.hosts);
    const c = r.int(m.hosts);
    if (a === b || b === c || a === c) continue;
    if (m.oneWayMs(a, c) > m.oneWayMs(a, b) + m.oneWayMs(b, c)) violations++;
  }
  return violations / n;
}

const q = (xs: number[], p: number) => xs[Math.floor(p * (xs.length - 1))];

describe("synthetic King-like latency model", () => {
  it("is deterministic from the seed, symmetric, with zero on the diagonal", () => {
    const a = model(1);
    const b = model(1);
    const c = model(2);
    let differs = false;
    for (let i = 0; i < 200; i++) {
      const [x, y] = [i * 7, i * 13 + 1];
      expect(a.oneWayMs(x, y)).toBe(b.oneWayMs(x, y));
      expect(a.oneWayMs(x, y)).toBe(a.oneWayMs(y, x));
      if (a.oneWayMs(x, y) !== c.oneWayMs(x, y)) differs = true;
    }
    expect(a.oneWayMs(5, 5)).toBe(0);
    expect(differs).toBe(true);
  });

  it("serves 100,000 hosts without a quadratic matrix", () => {
    const m = model(3, 100_000);
    const xs = sampleDelays(m, 20_000);
    expect(xs[0]).toBeGreaterThanOrEqual(1);
    expect(xs[xs.length - 1]).toBeLessThanOrEqual(500);
    expect(q(xs, 0.5)).toBeGreaterThan(50);
  });

  // The King measurements the model is calibrated against: statistics of king128 (128 of the King data set's
  // hosts, the sample topology of Bamboo's own simulator; sha256 e9212253…76be19), recorded here because the
  // file has no licence that lets this repository ship it. Delays are one-way ms over all 8128 pairs; triangle
  // violations over the 100,000 random triples `triangleViolations` draws.
  const KING128 = { p10: 19, p50: 68, p90: 147, p99: 337, triangleViolations: 0.07222 };

  it("resembles the King measurements: median and p90 within 15%, triangle violations present", () => {
    const synthetic = sampleDelays(model(1), 100_000);
    const syntheticTiv = triangleViolations(model(1), 100_000);
    console.log(
      `one-way ms, king128 vs synthetic: p10 ${KING128.p10} / ${q(synthetic, 0.1).toFixed(1)}, median ${KING128.p50} / ${q(synthetic, 0.5).toFixed(1)}, ` +
        `p90 ${KING128.p90} / ${q(synthetic, 0.9).toFixed(1)}, p99 ${KING128.p99} / ${q(synthetic, 0.99).toFixed(1)}; ` +
        `triangle violations ${(KING128.triangleViolations * 100).toFixed(1)}% / ${(syntheticTiv * 100).toFixed(1)}%`,
    );
    expect(Math.abs(q(synthetic, 0.5) / KING128.p50 - 1)).toBeLessThan(0.15);
    expect(Math.abs(q(synthetic, 0.9) / KING128.p90 - 1)).toBeLessThan(0.15);
    expect(syntheticTiv).toBeGreaterThan(KING128.triangleViolations / 3);
    expect(syntheticTiv).toBeLessThan(KING128.triangleViolations * 3);
  });

  // Where the data set is at hand (beside the repository), the recorded statistics are checked against it.
  const king128 = fileURLToPath(new URL("../../../../shared/data/king128/king128.top", import.meta.url));
  it.skipIf(!existsSync(king128))("recorded the King statistics right", () => {
    const real = loadKingTopology(king128);
    const realDelays: number[] = [];
    for (let i = 0; i < real.hosts; i++) for (let j = i + 1; j < real.hosts; j++) realDelays.push(real.oneWayMs(i, j));
    realDelays.sort((x, y) => x - y);
    expect({ p10: q(realDelays, 0.1), p50: q(realDelays, 0.5), p90: q(realDelays, 0.9), p99: q(realDelays, 0.99), triangleViolations: triangleViolations(real, 100_000) }).toEqual(KING128);
  });
});
