import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Id } from "../../sim/runtime/ids.js";
import { SeededRandom } from "../../sim/engine/seeded-random.js";
import { memberAt, type MemberRecord } from "./member-record.js";
import { bigToId } from "./tree-node-key.js";
import { naiveSuccessor, TestNamespace } from "./test-namespace.js";

const HOUR = 3_600_000;
const anyId = fc.bigInt({ min: 0n, max: (1n << 160n) - 1n }).map(bigToId);

function membersWithIds(ids: readonly Id[]): MemberRecord[] {
  return ids.map((id, i) => ({ address: i + 1, id }));
}

function staticNamespace(members: readonly MemberRecord[], levels: number, branching = 2, delayMs = 10): TestNamespace {
  const t = new TestNamespace(100 * HOUR, { levels, branching }, { delayMs });
  for (const m of members) t.register(m);
  t.timers.runUntil(60_000);
  return t;
}

describe("ReDiR lookups in a static namespace", () => {
  it("return the true successor for any member ids and any key", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(anyId, { maxLength: 60 }),
        anyId,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 4 }),
        (ids, key, levels, branching) => {
          const t = staticNamespace(membersWithIds(ids), levels, branching, 0);
          const result = t.lookup(key);
          expect(result.member?.id ?? null).toBe(naiveSuccessor(ids, key));
          expect(t.oracle.successor(t.namespace, key, t.timers.now())?.id ?? null).toBe(naiveSuccessor(ids, key));
          expect(result.gets).toBeLessThanOrEqual(levels * Math.max(1, Math.ceil(ids.length / 23)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("return the true successor for members and keys crowded into one small range (deep partitions)", () => {
    const crowded = fc.bigInt({ min: 0n, max: 1n << 20n }).map((n) => bigToId((0x5n << 156n) + n));
    fc.assert(
      fc.property(fc.uniqueArray(crowded, { minLength: 1, maxLength: 40 }), crowded, fc.integer({ min: 1, max: 24 }), (ids, key, levels) => {
        const t = staticNamespace(membersWithIds(ids), levels, 2, 0);
        expect(t.lookup(key).member?.id).toBe(naiveSuccessor(ids, key));
      }),
      { numRuns: 100 },
    );
  });

  it("wraps to the smallest id above the last member, and returns nothing in an empty namespace", () => {
    const ids = ["1000000000000000000000000000000000000000", "8000000000000000000000000000000000000000"];
    const t = staticNamespace(membersWithIds(ids), 3);
    const wrap = t.lookup("9000000000000000000000000000000000000000");
    expect(wrap.member?.id).toBe(ids[0]);
    expect(wrap.wrapped).toBe(true);
    expect(wrap.level).toBe(0);
    // A key equal to a member's id is succeeded by the next member: ReDiR's successor is strictly above.
    expect(t.lookup(ids[0]).member?.id).toBe(ids[1]);
    const empty = staticNamespace([], 3).lookup(ids[0]);
    expect(empty.member).toBeNull();
    expect(empty.gets).toBe(3);
  });
});

describe("ReDiR costs", () => {
  it("join with at most one get and one put per level, and look up with at most one get per level, while tree nodes fit in a reply", () => {
    const random = SeededRandom.root(7);
    for (const levels of [1, 2, 3, 4, 6]) {
      // 20 members: no tree node holds more than fits in one get reply (≈23), so no placemark continuation.
      const members = Array.from({ length: 20 }, (_, i) => memberAt(1000 * levels + i));
      const t = staticNamespace(members, levels);
      expect(t.rounds).toHaveLength(20);
      for (const r of t.rounds) {
        expect(r.puts).toBe(levels - r.topLevel);
        expect(r.gets).toBe(r.puts);
        expect(r.gets + r.puts).toBeLessThanOrEqual(2 * levels);
      }
      for (let i = 0; i < 50; i++) {
        const result = t.lookup(random.bits160hex());
        expect(result.gets).toBeLessThanOrEqual(levels);
        // Each get costs one delay of the service: 10 ms here.
        expect(result.latencyMs).toBe(10 * result.gets);
      }
    }
  });

  it("continue a full tree node by placemark: 100 members on one level take ⌈100/23⌉ gets per lookup", () => {
    const members = Array.from({ length: 100 }, (_, i) => memberAt(i + 1));
    const t = staticNamespace(members, 1);
    // Every operation the service saw so far was a registration's, and each was counted by its round.
    expect(t.rounds.reduce((s, r) => s + r.gets + r.puts, 0)).toBe(t.dht.getsIssued + t.dht.putsIssued);
    const random = SeededRandom.root(3);
    for (let i = 0; i < 20; i++) {
      const key = random.bits160hex();
      const result = t.lookup(key);
      expect(result.gets).toBe(5);
      expect(result.member?.id).toBe(naiveSuccessor(members.map((m) => m.id), key));
    }
    // A registration reads pages only until it meets a smaller id, so never more than a lookup.
    for (const r of t.rounds) expect(r.gets).toBeLessThanOrEqual(5);
  });

  it("retry a refused put after 1 s, doubling up to 30 s", () => {
    let refusals = 10;
    const t = new TestNamespace(HOUR, { levels: 1 }, { delayMs: 0, putStatus: () => (refusals-- > 0 ? "cap" : "ok") });
    t.register(memberAt(1));
    t.timers.runUntil(10 * 60_000);
    const first = t.rounds[0];
    expect(first.refusedPuts).toBe(10);
    expect(first.puts).toBe(11);
    expect(first.endedAt).toBe(1000 + 2000 + 4000 + 8000 + 16000 + 5 * 30_000);
  });

  it("retry a lookup's failed get with the same back-off, and give up after the configured attempts", () => {
    let failures = 1;
    const options = { delayMs: 0, getFails: () => failures-- > 0 };
    const flaky = new TestNamespace(HOUR, { levels: 1, maxGetAttempts: 3 }, options);
    flaky.register(memberAt(1)); // its registration's get fails: read as empty, the member still puts itself
    flaky.timers.runUntil(1000);
    expect(flaky.rounds[0].gets).toBe(1);
    failures = 2;
    const result = flaky.lookup(memberAt(2).id);
    expect(result.member?.id).toBe(memberAt(1).id);
    expect(result.gets).toBe(3);
    expect(result.latencyMs).toBe(1000 + 2000);
    failures = 5;
    const failed = flaky.lookup(memberAt(2).id);
    expect(failed.failed).toBe(true);
    expect(failed.member).toBeNull();
    expect(failed.gets).toBe(3);
  });

  it("refresh every ttl/2 after a round ends", () => {
    const t = new TestNamespace(60_000, { levels: 2 }, { delayMs: 10 });
    t.register(memberAt(1));
    t.timers.runUntil(200_000);
    // A lone member climbs both levels: 2 gets and 2 puts of 10 ms, then 30 s of rest.
    expect(t.rounds.map((r) => r.round)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(t.rounds[0].endedAt).toBe(40);
    for (let i = 1; i < t.rounds.length; i++) expect(t.rounds[i].startedAt).toBe(t.rounds[i - 1].endedAt + 30_000);
  });
});
