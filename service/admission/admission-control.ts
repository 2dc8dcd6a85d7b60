/**
 * What every admission algorithm on one node looks like from outside: puts are offered one at a time, and each
 * put gets exactly one reply — at once (the deployed OpenDHT root, NoQueuing), later (a queued put answered at the
 * end of its period, a put parked in OpenDHT's slop), or after a delay (NoQueuing's AGAIN). Algorithms are pure:
 * time is what the caller says it is, and randomness comes only from the stream they are given.
 */

/** OpenDHT's three put status codes: stored, try again soon, over capacity. */
export type Verdict = "ok" | "again" | "cap";

export interface Put {
  /** Unique per run; lets a caller match replies to puts. */
  readonly id: number;
  /** The identity fairness is computed over (OpenDHT uses the client's IP address). */
  readonly client: string;
  readonly sizeBytes: number;
  readonly ttlS: number;
}

export interface Reply {
  readonly put: Put;
  readonly verdict: Verdict;
  /** When the reply reaches the client: now, or later for a delayed AGAIN. */
  readonly atS: number;
}

export interface AdmissionControl {
  readonly name: AlgorithmName;
  /** A put arrives at `nowS` (non-decreasing across calls). Returns the replies decided now; puts not answered
   * here are answered by a later `tick`. */
  offer(put: Put, nowS: number): Reply[];
  /** When the algorithm next wants `tick` called (end of a period, a slop drain), or Infinity. */
  nextTickS(): number;
  tick(nowS: number): Reply[];
}

export const ALGORITHM_NAMES = ["random", "fairRate", "fairStorage", "fairCommitment", "fairSpaceTime", "noQueuing", "openDht"] as const;
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

export function isAlgorithmName(s: string): s is AlgorithmName {
  return (ALGORITHM_NAMES as readonly string[]).includes(s);
}
