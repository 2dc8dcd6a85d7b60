import type { SeededRandom } from "../engine/seeded-random.js";
import type { DistributionSpec } from "../scenario/distribution-specs.js";

export interface Distribution {
  readonly spec: DistributionSpec;
  /** A fresh session length. */
  sample(rng: SeededRandom): number;
  /**
   * The remaining session of a node observed at a random moment of a stationary renewal process: U·L*, with
   * U uniform and L* the size-biased length. This is what nodes alive at the start need, or the run begins out
   * of equilibrium.
   */
  residual(rng: SeededRandom): number;
  median(): number;
  /** Infinity when the mean does not exist (Pareto with shape ≤ 1). */
  mean(): number;
  describe(): string;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7): for Weibull moments. */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const minutes = (ms: number) => `${+(ms / 60_000).toPrecision(3)} min`;

/** A sampler for `spec`: session lengths, equilibrium residuals and summary figures. */
export function makeDistribution(spec: DistributionSpec): Distribution {
  switch (spec.type) {
    case "exponential":
      return exponential(spec);
    case "weibull":
      return weibull(spec);
    case "pareto":
      return pareto(spec);
    case "lognormal":
      return lognormal(spec);
    case "empirical":
      return empirical(spec);
  }
}

type Spec<T extends DistributionSpec["type"]> = Extract<DistributionSpec, { type: T }>;

function exponential(spec: Spec<"exponential">): Distribution {
  const mean = spec.median / Math.LN2;
  return {
    spec,
    // Memoryless: the residual of an exponential session is the same exponential.
    sample: (rng) => rng.exponential(mean),
    residual: (rng) => rng.exponential(mean),
    median: () => spec.median,
    mean: () => mean,
    describe: () => `exponential, median ${minutes(spec.median)}`,
  };
}

function weibull(spec: Spec<"weibull">): Distribution {
  const { shape: k, scale } = spec;
  return {
    spec,
    sample: (rng) => scale * (-Math.log(1 - rng.next())) ** (1 / k),
    residual: (rng) => rng.next() * scale * rng.gamma(1 + 1 / k) ** (1 / k),
    median: () => scale * Math.LN2 ** (1 / k),
    mean: () => scale * Math.exp(lnGamma(1 + 1 / k)),
    describe: () => `Weibull k = ${k}, scale ${minutes(scale)}, median ${minutes(scale * Math.LN2 ** (1 / k))}`,
  };
}

function pareto(spec: Spec<"pareto">): Distribution {
  const { shape: a, scale } = spec;
  return {
    spec,
    sample: (rng) => scale / (1 - rng.next()) ** (1 / a),
    residual: (rng) => {
      if (a <= 1) throw new Error(`a Pareto distribution with shape ${a} ≤ 1 has no mean, so no equilibrium residual lifetime`);
      // The size-biased Pareto(a, xm) is Pareto(a − 1, xm).
      return rng.next() * (scale / (1 - rng.next()) ** (1 / (a - 1)));
    },
    median: () => scale * 2 ** (1 / a),
    mean: () => (a > 1 ? (a * scale) / (a - 1) : Infinity),
    describe: () => `Pareto α = ${a}, minimum ${minutes(scale)}, median ${minutes(scale * 2 ** (1 / a))}`,
  };
}

function lognormal(spec: Spec<"lognormal">): Distribution {
  const { mu, sigma } = spec;
  return {
    spec,
    sample: (rng) => Math.exp(mu + sigma * rng.normal()),
    // The size-biased lognormal(μ, σ) is lognormal(μ + σ², σ).
    residual: (rng) => rng.next() * Math.exp(mu + sigma * sigma + sigma * rng.normal()),
    median: () => Math.exp(mu),
    mean: () => Math.exp(mu + (sigma * sigma) / 2),
    describe: () => `lognormal σ = ${sigma}, median ${minutes(Math.exp(mu))}`,
  };
}

function empirical(spec: Spec<"empirical">): Distribution {
  const sorted = Float64Array.from(spec.samples).sort();
  const n = sorted.length;
  // Cumulative sums for size-biased choice: a session is seen in progress in proportion to its length.
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += sorted[i];
  const sizeBiased = (u: number) => {
    const target = u * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return sorted[lo];
  };
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return {
    spec,
    sample: (rng) => sorted[rng.int(n)],
    residual: (rng) => rng.next() * sizeBiased(rng.next()),
    median: () => median,
    mean: () => total / n,
    describe: () => `empirical, ${n} sessions, median ${minutes(median)}`,
  };
}
