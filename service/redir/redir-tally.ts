import { isCorrect, type LookupVerdict } from "./member-oracle.js";
import type { LookupResult, RegistrationRound } from "./redir-client.js";

/** What a run of ReDiR reports: lookups judged by the oracle, and the cost of registration rounds. */
export interface RedirSummary {
  lookups: number;
  correct: number;
  correctFraction: number;
  verdicts: Record<LookupVerdict, number>;
  getsPerLookupMean: number;
  getsPerLookupMax: number;
  latencyMeanMs: number;
  latencyP99Ms: number;
  rounds: number;
  getsPerRoundMean: number;
  putsPerRoundMean: number;
  opsPerRoundMax: number;
}

export class RedirTally {
  private readonly verdicts: Record<LookupVerdict, number> = { correct: 0, correctEmpty: 0, wrongMember: 0, staleMember: 0, missed: 0 };
  private lookupGets = 0;
  private lookupGetsMax = 0;
  private readonly latencies: number[] = [];
  private rounds = 0;
  private roundGets = 0;
  private roundPuts = 0;
  private roundOpsMax = 0;

  lookup(result: LookupResult, verdict: LookupVerdict): void {
    this.verdicts[verdict]++;
    this.lookupGets += result.gets;
    this.lookupGetsMax = Math.max(this.lookupGetsMax, result.gets);
    this.latencies.push(result.latencyMs);
  }

  round(round: RegistrationRound): void {
    this.rounds++;
    this.roundGets += round.gets;
    this.roundPuts += round.puts;
    this.roundOpsMax = Math.max(this.roundOpsMax, round.gets + round.puts);
  }

  summary(): RedirSummary {
    const lookups = this.latencies.length;
    const correct = (Object.keys(this.verdicts) as LookupVerdict[]).filter(isCorrect).reduce((s, v) => s + this.verdicts[v], 0);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      lookups,
      correct,
      correctFraction: lookups === 0 ? NaN : correct / lookups,
      verdicts: { ...this.verdicts },
      getsPerLookupMean: lookups === 0 ? NaN : this.lookupGets / lookups,
      getsPerLookupMax: this.lookupGetsMax,
      latencyMeanMs: lookups === 0 ? NaN : sorted.reduce((s, x) => s + x, 0) / lookups,
      latencyP99Ms: lookups === 0 ? NaN : sorted[Math.min(lookups - 1, Math.ceil(0.99 * lookups) - 1)],
      rounds: this.rounds,
      getsPerRoundMean: this.rounds === 0 ? NaN : this.roundGets / this.rounds,
      putsPerRoundMean: this.rounds === 0 ? NaN : this.roundPuts / this.rounds,
      opsPerRoundMax: this.roundOpsMax,
    };
  }
}
