import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../sim/engine/seeded-random.js";
import { runNamespaceChurn, type NamespaceChurnSetup } from "./namespace-churn.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const base: NamespaceChurnSetup = {
  members: 100,
  sessionMeanMs: HOUR,
  ttlMs: MINUTE,
  lookupGapMeanMs: 2000,
  warmupMs: 10 * MINUTE,
  durationMs: 2 * HOUR,
  redir: { levels: 4 },
  dht: { delayMs: 50 },
};

describe("ReDiR with members joining and leaving, judged by the oracle", () => {
  it("answers nearly every lookup right when members refresh much faster than they leave", () => {
    const s = runNamespaceChurn(base, SeededRandom.root(1));
    expect(s.lookups).toBeGreaterThan(3000);
    expect(s.correctFraction).toBeGreaterThanOrEqual(0.95);
    expect(s.getsPerLookupMax).toBeLessThanOrEqual(base.redir.levels! + 2);
    expect(s.putsPerRoundMean).toBeLessThanOrEqual(base.redir.levels!);
  });

  it("answers many lookups with departed members when the TTL far exceeds the sessions (the verdict flips)", () => {
    // Sessions of 2 min, entries of 30 min: about 3/4·TTL/session = 11 departed members linger per live one.
    const s = runNamespaceChurn({ ...base, sessionMeanMs: 2 * MINUTE, ttlMs: 30 * MINUTE, warmupMs: 30 * MINUTE, durationMs: HOUR }, SeededRandom.root(1));
    expect(s.lookups).toBeGreaterThan(800);
    expect(s.correctFraction).toBeLessThan(0.5);
    expect(s.verdicts.staleMember).toBeGreaterThan(s.verdicts.wrongMember);
  });

  it("costs fewer gets per lookup with more levels, down to about one once the deepest tree nodes fit in a reply", () => {
    const quiet = { ...base, members: 1000, sessionMeanMs: 100 * HOUR, ttlMs: 10 * MINUTE, durationMs: 15 * MINUTE };
    const at = (levels: number) => runNamespaceChurn({ ...quiet, redir: { levels } }, SeededRandom.root(2));
    const one = at(1);
    // One tree node of 1000 members: every lookup reads all of it, 23 per reply.
    expect(one.getsPerLookupMean).toBe(Math.ceil(1000 / 23));
    const eight = at(8);
    expect(eight.getsPerLookupMean).toBeLessThan(1.5);
    expect(eight.getsPerRoundMean + eight.putsPerRoundMean).toBeLessThan(3);
    for (const s of [one, eight]) expect(s.correctFraction).toBeGreaterThan(0.99);
  });

  it("is reproducible from its seed", () => {
    const quick = { ...base, durationMs: 30 * MINUTE };
    expect(runNamespaceChurn(quick, SeededRandom.root(5))).toEqual(runNamespaceChurn(quick, SeededRandom.root(5)));
  });
});
