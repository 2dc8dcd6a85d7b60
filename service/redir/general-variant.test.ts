import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../sim/engine/seeded-random.js";
import { memberAt, type MemberRecord } from "./member-record.js";
import { bigToId } from "./tree-node-key.js";
import { naiveSuccessor, TestNamespace } from "./test-namespace.js";

const MINUTE = 60_000;
const anyId = fc.bigInt({ min: 0n, max: (1n << 160n) - 1n }).map(bigToId);

/**
 * Members join `gapMs` apart (0: all at once), then refresh `rounds` more times: lookups must be right whether or not
 * the members that joined alone have since learnt of later ones.
 */
function settled(
  members: readonly MemberRecord[], levels: number, branching: number, startLevel: number, rounds: number, gapMs = 0,
): TestNamespace {
  const t = new TestNamespace(60 * MINUTE, { variant: "general", levels, branching, startLevel }, { delayMs: 10 });
  members.forEach((m, i) => t.timers.setTimer(i * gapMs, () => t.register(m)));
  t.timers.runUntil(members.length * gapMs + rounds * 30 * MINUTE + MINUTE);
  return t;
}

describe("the general ReDiR variant (from l_start, walking up and down)", () => {
  it("returns the true successor for any member ids and any key, members joining at once or one by one", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(anyId, { maxLength: 40 }),
        anyId,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(0, 1000),
        (ids, key, levels, branching, startLevel, rounds, gapMs) => {
          const t = settled(ids.map((id, i) => ({ address: i + 1, id })), levels, branching, startLevel, rounds, gapMs);
          expect(t.lookup(key).member?.id ?? null).toBe(naiveSuccessor(ids, key));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("returns the true successor in crowded ranges (members sharing long prefixes)", () => {
    const crowded = fc.bigInt({ min: 0n, max: 1n << 12n }).map((n) => bigToId((0x5n << 156n) + (n << 140n)));
    const rounds = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(fc.uniqueArray(crowded, { minLength: 1, maxLength: 30 }), crowded, fc.integer({ min: 0, max: 10 }), rounds, (ids, key, startLevel, r) => {
        const t = settled(ids.map((id, i) => ({ address: i + 1, id })), 24, 2, startLevel, r, 1000);
        expect(t.lookup(key).member?.id).toBe(naiveSuccessor(ids, key));
      }),
      { numRuns: 60 },
    );
  });

  it("costs at most one get and one put per level a round, and one get per level a lookup, while nodes fit in a reply", () => {
    const random = SeededRandom.root(9);
    for (const levels of [1, 3, 5, 8]) {
      const members = Array.from({ length: 20 }, (_, i) => memberAt(500 * levels + i));
      const t = settled(members, levels, 2, 2, 3);
      for (const r of t.rounds) expect(r.gets + r.puts).toBeLessThanOrEqual(2 * levels);
      for (let i = 0; i < 50; i++) {
        const key = random.bits160hex();
        const result = t.lookup(key);
        expect(result.gets).toBeLessThanOrEqual(levels);
        expect(result.member?.id).toBe(naiveSuccessor(members.map((m) => m.id), key));
      }
    }
  });

  it("walks up while a member is the lowest or highest of a tree node, and down until it is alone", () => {
    // Two members sharing every partition down to level 9; l_start = 2 in a tree of 8 levels.
    const a = { address: 1, id: bigToId(5n << 155n) };
    const b = { address: 2, id: bigToId((5n << 155n) + (1n << 150n)) };
    const t = new TestNamespace(60 * MINUTE, { variant: "general", levels: 8, startLevel: 2 }, { delayMs: 10 });
    t.register(a);
    t.timers.runUntil(1000);
    t.register(b);
    t.timers.runUntil(2000);
    // a found every node empty: levels 2, 1, 0 up, then 3 down, alone there. b met a down to level 3, alone at 4.
    expect(t.rounds.map((r) => [r.member.address, r.puts, r.topLevel])).toEqual([[1, 4, 0], [2, 5, 0]]);
    const between = bigToId((5n << 155n) + 1n);
    // From level 2 down while a and b share the key's sub-interval: levels 2, 3 and 4 (4 holds b only).
    const before = t.lookup(between);
    expect([before.member?.id, before.gets, before.level]).toEqual([b.id, 3, 4]);
    // Refreshes leapfrog: a meets b at levels 3 and 4 and goes down to 5, then b meets a there and goes to 6.
    t.timers.runUntil(31 * MINUTE);
    expect(t.rounds.slice(2).map((r) => [r.member.address, r.puts])).toEqual([[1, 6], [2, 7]]);
    const after = t.lookup(between);
    expect([after.member?.id, after.gets, after.level]).toEqual([b.id, 5, 6]);
  });
});
