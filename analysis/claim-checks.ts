/**
 * What every study's claims share: a verdict with its evidence, a claim checked against the study's data, and the
 * rule that a number not measured gives "no data" rather than a verdict.
 */
export type Verdict = "supported" | "not supported" | "no data";

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
