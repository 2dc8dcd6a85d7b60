import fc from "fast-check";
import { describe, it } from "vitest";
import { checkCombination } from "../sim/experiments/combinations/check-combination.js";
import { combinationArbitrary } from "../sim/experiments/combinations/combination.js";

/**
 * Every feature combined with every other, a few dozen times: churn process × session distribution × downtime ×
 * faults × protocol × timeouts × recovery × routing × access links × storage layer. A fixed seed keeps CI reproducible;
 * `npm run soak -- --minutes N` tries new seeds for longer and prints a replay command for any failure.
 */
describe("feature combinations", () => {
  it("complete under --check, balance every message and repeat byte for byte", { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(combinationArbitrary, (c) => {
        checkCombination(c);
      }),
      { seed: 20261206, numRuns: Number(process.env.COMBINATION_RUNS ?? 60), endOnFailure: true },
    );
  });
});
