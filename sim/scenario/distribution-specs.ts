/** Session-time (or downtime) distributions, in milliseconds. */
export type DistributionSpec =
  | { type: "exponential"; median: number }
  | { type: "weibull"; shape: number; scale: number }
  /** Classic Pareto: P(X > x) = (scale / x)^shape for x ≥ scale. */
  | { type: "pareto"; shape: number; scale: number }
  /** ln X ~ Normal(mu, sigma²). */
  | { type: "lognormal"; mu: number; sigma: number }
  | { type: "empirical"; samples: readonly number[] };

export function weibullWithMedian(shape: number, median: number): DistributionSpec {
  return { type: "weibull", shape, scale: median / Math.LN2 ** (1 / shape) };
}

export function paretoWithMedian(shape: number, median: number): DistributionSpec {
  return { type: "pareto", shape, scale: median / 2 ** (1 / shape) };
}

export function lognormalWithMedian(sigma: number, median: number): DistributionSpec {
  return { type: "lognormal", mu: Math.log(median), sigma };
}
