import { describe, expect, it } from "vitest";
import { SeededRandom } from "../engine/seeded-random.js";
import { type DistributionSpec, lognormalWithMedian, paretoWithMedian, weibullWithMedian } from "../scenario/distribution-specs.js";
import { presetDistribution } from "../scenario/session-presets.js";
import { lnGamma, makeDistribution } from "./distributions.js";

const MIN = 60_000;
const N = 200_000;

function samples(spec: DistributionSpec, what: "sample" | "residual", seed = 11): Float64Array {
  const d = makeDistribution(spec);
  const r = SeededRandom.root(seed);
  return Float64Array.from({ length: N }, () => d[what](r)).sort();
}
const quantile = (xs: Float64Array, p: number) => xs[Math.floor(p * (xs.length - 1))];
const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("session-time distributions", () => {
  const cases: [string, DistributionSpec, number][] = [
    // name, spec, tolerance of the sample mean (heavier tails converge more slowly)
    ["exponential", { type: "exponential", median: 2.4 * MIN }, 0.02],
    ["weibull k=0.487", weibullWithMedian(0.487, 2.4 * MIN), 0.03],
    ["pareto α=2.5", paretoWithMedian(2.5, 10 * MIN), 0.03],
    ["lognormal σ=1.2", lognormalWithMedian(1.2, 5 * MIN), 0.03],
  ];
  it.each(cases)("%s: sample median and mean match the analytic ones", (_name, spec, tolerance) => {
    const d = makeDistribution(spec);
    const xs = samples(spec, "sample");
    expect(quantile(xs, 0.5) / d.median()).toBeCloseTo(1, 1);
    expect(Math.abs(quantile(xs, 0.5) / d.median() - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean(xs) / d.mean() - 1)).toBeLessThan(tolerance);
  });

  it("residual lifetimes have the mean of the stationary renewal process, E[L²] / 2E[L]", () => {
    // Exponential: memoryless, the residual has the session's own mean.
    const exp = makeDistribution({ type: "exponential", median: 10 * MIN });
    expect(Math.abs(mean(samples(exp.spec, "residual")) / exp.mean() - 1)).toBeLessThan(0.02);
    // Weibull(k, λ): E[L^n] = λ^n Γ(1 + n/k).
    const k = 0.8;
    const spec = weibullWithMedian(k, 10 * MIN) as { scale: number };
    const expected = (spec.scale * Math.exp(lnGamma(1 + 2 / k) - lnGamma(1 + 1 / k))) / 2;
    expect(Math.abs(mean(samples(spec as DistributionSpec, "residual")) / expected - 1)).toBeLessThan(0.03);
    // Lognormal: E[L²]/2E[L] = exp(μ + 3σ²/2) / 2.
    const ln = lognormalWithMedian(0.7, 10 * MIN) as { mu: number; sigma: number };
    const lnExpected = Math.exp(ln.mu + 1.5 * ln.sigma ** 2) / 2;
    expect(Math.abs(mean(samples(ln as DistributionSpec, "residual")) / lnExpected - 1)).toBeLessThan(0.03);
  });

  it("refuses residuals where no mean exists", () => {
    const d = makeDistribution(paretoWithMedian(0.9, MIN));
    expect(d.mean()).toBe(Infinity);
    expect(() => d.residual(SeededRandom.root(1))).toThrow(/no mean/);
  });

  it("the Kazaa heavy-tailed preset keeps the measured median and 90th percentile (28.25 min)", () => {
    const xs = samples(presetDistribution("kazaa", "heavy-tailed"), "sample");
    expect(Math.abs(quantile(xs, 0.5) / (2.4 * MIN) - 1)).toBeLessThan(0.02);
    expect(Math.abs(quantile(xs, 0.9) / (28.25 * MIN) - 1)).toBeLessThan(0.05);
  });

  it("an empirical distribution resamples its sessions, and size-biases its residuals", () => {
    const spec: DistributionSpec = { type: "empirical", samples: [MIN, 3 * MIN] };
    const d = makeDistribution(spec);
    expect(d.median()).toBe(2 * MIN);
    // A session seen in progress is three times as likely to be the long one: E[residual] = (1·0.5 + 3·1.5)/4 min.
    expect(mean(samples(spec, "residual")) / MIN).toBeCloseTo(1.25, 1);
  });

  it("computes ln Γ accurately", () => {
    expect(Math.exp(lnGamma(5))).toBeCloseTo(24, 8);
    expect(Math.exp(lnGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 8);
  });
});
