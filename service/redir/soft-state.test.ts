import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../sim/engine/seeded-random.js";
import { memberAt } from "./member-record.js";
import { bigToId, idToBig } from "./tree-node-key.js";
import { TestNamespace } from "./test-namespace.js";

const MINUTE = 60_000;

describe("ReDiR's soft state", () => {
  it("keeps returning a member that stopped refreshing until its TTL runs out, then its successor", () => {
    const ttl = 10 * MINUTE;
    const t = new TestNamespace(ttl, { levels: 3 }, { delayMs: 10 });
    const members = Array.from({ length: 12 }, (_, i) => memberAt(i + 1)).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const m of members) t.register(m);
    t.timers.runUntil(MINUTE);
    const leaver = members[5];
    const justBelow = bigToId(idToBig(leaver.id) - 1n);
    expect(t.lookup(justBelow).member?.id).toBe(leaver.id);

    t.leave(leaver);
    // Its entries were put in the first second and are not refreshed: still there two minutes on, a stale answer.
    t.timers.runUntil(3 * MINUTE);
    const stale = t.lookup(justBelow);
    expect(stale.member?.id).toBe(leaver.id);
    expect(t.oracle.judge(t.namespace, justBelow, stale.member, t.timers.now())).toBe("staleMember");

    // After its TTL, and half a TTL more so every other member has refreshed since: gone from every lookup.
    t.timers.runUntil(ttl + ttl / 2 + 2 * MINUTE);
    const after = t.lookup(justBelow);
    expect(after.member?.id).toBe(members[6].id);
    expect(t.oracle.judge(t.namespace, justBelow, after.member, t.timers.now())).toBe("correct");
    const random = SeededRandom.root(11);
    for (let i = 0; i < 100; i++) {
      const key = random.bits160hex();
      const result = t.lookup(key);
      expect(result.member?.id).not.toBe(leaver.id);
      expect(t.oracle.judge(t.namespace, key, result.member, t.timers.now())).toBe("correct");
    }
  });

  it("lets a member whose registration ran out count as gone for the oracle", () => {
    const t = new TestNamespace(MINUTE, { levels: 1 }, { delayMs: 0, putStatus: (_key, now) => (now > 0 ? "cap" : "ok") });
    const m = memberAt(1);
    t.register(m);
    t.timers.runUntil(10_000);
    expect(t.oracle.isLive(t.namespace, m, t.timers.now())).toBe(true);
    // Every refresh is refused from then on, so its one entry expires at 1 min and the oracle agrees.
    t.timers.runUntil(2 * MINUTE);
    expect(t.oracle.isLive(t.namespace, m, t.timers.now())).toBe(false);
    const result = t.lookup(m.id);
    expect(result.member).toBeNull();
    expect(t.oracle.judge(t.namespace, m.id, result.member, t.timers.now())).toBe("correctEmpty");
  });
});
