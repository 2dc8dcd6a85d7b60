import type { Estimate } from "./paired.js";

/**
 * What every study's claims share: a verdict with its evidence, a claim checked against the study's data, and the
 * rule that a number not measured gives "no data" rather than a verdict.
 *
 * A verdict comes from a 95% interval across seeds (of a paired difference or ratio when designs are compared):
 * *supported* when the interval lies on the claimed side of the threshold, *not supported* when it lies on the other
 * side, *inconclusive* when it straddles the threshold or there is no interval (one seed). A quick run's verdicts
 * are all *smoke test*: its numbers show the study runs, not what it finds.
 */
export type Verdict = "supported" | "not supported" | "inconclusive" | "no data" | "smoke test";

/** A verdict reached from numbers (not "no data", not "smoke test"). */
export type Finding = "supported" | "not supported" | "inconclusive";

export interface ClaimResult {
  verdict: Verdict;
  /** The numbers behind the verdict, or what is missing. */
  evidence: string;
}

/** One claim, in our words, the experiment that tests it, and how our numbers (`D`) test it. */
export interface Claim<D> {
  claim: string;
  experiment: string;
  check: (data: D) => ClaimResult;
}

/** Thrown by a check when a number it needs was not measured; becomes a "no data" verdict. */
class Missing extends Error {}

/** `x`, or "no data" for the claim when it was not measured (`what` says what is missing). */
export function need<T>(x: T | undefined | null, what: string): T {
  if (x === undefined || x === null) throw new Missing(what);
  return x;
}

export const verdict = (ok: boolean, evidence: string): ClaimResult => ({ verdict: ok ? "supported" : "not supported", evidence });

/** Where an estimate's 95% interval lies against a threshold the claim puts it `above` or `below`. */
export function side(e: Estimate, claimed: "above" | "below", threshold: number): Finding {
  if (e.low === null || e.high === null) return "inconclusive";
  const [on, off] = claimed === "above" ? [e.low > threshold, e.high < threshold] : [e.high < threshold, e.low > threshold];
  return on ? "supported" : off ? "not supported" : "inconclusive";
}

/** Every part holds: supported when all are, not supported when any is not, inconclusive otherwise. */
export function allOf(findings: readonly Finding[]): Finding {
  if (findings.includes("not supported")) return "not supported";
  return findings.every((f) => f === "supported") ? "supported" : "inconclusive";
}

/** One of the parts holds: supported when any is, not supported when none can, inconclusive otherwise. */
export function anyOf(findings: readonly Finding[]): Finding {
  if (findings.includes("supported")) return "supported";
  return findings.every((f) => f === "not supported") ? "not supported" : "inconclusive";
}

/** A quick run's results: each verdict reached from numbers becomes "smoke test", the evidence stays. */
export function asSmokeTest<C extends ClaimResult>(results: readonly C[]): C[] {
  return results.map((c) => (c.verdict === "no data" ? c : { ...c, verdict: "smoke test" }));
}

/** Every claim checked against whatever experiments have results. */
export function checkEvery<D>(claims: readonly Claim<D>[], data: D): (Claim<D> & ClaimResult)[] {
  return claims.map((c) => {
    try {
      return { ...c, ...c.check(data) };
    } catch (e) {
      if (e instanceof Missing) return { ...c, verdict: "no data" as const, evidence: `not measured: ${e.message}` };
      throw e;
    }
  });
}
