import { describe, expect, it } from "vitest";
import type { AdmissionControl, Put, Reply, Verdict } from "./admission-control.js";
import { createAdmission } from "./algorithms.js";
import { FairCommitmentAdmission } from "./fair-commitment.js";
import { NoQueuingAdmission } from "./no-queuing.js";
import { fillRatesBytesPerS, OpenDhtAdmission, openDhtSettings } from "./open-dht.js";
import { SeededRandom } from "../../sim/engine/seeded-random.js";
import { spaceTimeLimits } from "./space-time-limits.js";

let nextId = 0;
const put = (client: string, sizeBytes = 1024, ttlS = 3600): Put => ({ id: nextId++, client, sizeBytes, ttlS });
const verdicts = (replies: Reply[]): Array<[string, Verdict]> => replies.map((r) => [r.put.client, r.verdict]);
const random = (): SeededRandom => new SeededRandom("algorithms-test");

/** Offer the puts at `nowS`, then end the period at the next tick. */
function period(alg: AdmissionControl, puts: Put[], nowS: number): Reply[] {
  const early = puts.flatMap((p) => alg.offer(p, nowS));
  return [...early, ...alg.tick(alg.nextTickS())];
}

describe("random (fssim's control)", () => {
  it("accepts one pending put per period, chosen uniformly, and caps the rest", () => {
    const alg = createAdmission("random", random());
    const wins = new Map<string, number>();
    for (let k = 0; k < 1200; k++) {
      const replies = period(alg, [put("a"), put("b"), put("c")], k);
      expect(replies.filter((r) => r.verdict === "ok")).toHaveLength(1);
      expect(replies.filter((r) => r.verdict === "cap")).toHaveLength(2);
      const winner = replies.find((r) => r.verdict === "ok")?.put.client as string;
      wins.set(winner, (wins.get(winner) ?? 0) + 1);
    }
    for (const c of ["a", "b", "c"]) expect((wins.get(c) ?? 0) / 1200).toBeCloseTo(1 / 3, 1);
    // A period without puts decides nothing.
    expect(alg.tick(alg.nextTickS())).toEqual([]);
  });
});

describe("fairStorage", () => {
  it("accepts the pending client storing least", () => {
    const alg = createAdmission("fairStorage", random());
    expect(verdicts(period(alg, [put("a")], 0))).toEqual([["a", "ok"]]);
    // a stores 1 kB, b nothing: b wins though a's put came first.
    expect(verdicts(period(alg, [put("a"), put("b"), put("a")], 1))).toEqual([
      ["a", "cap"],
      ["b", "ok"],
      ["a", "cap"],
    ]);
    // Tied at 1 kB each: the client whose put came first.
    expect(verdicts(period(alg, [put("b", 10), put("a", 10)], 2))).toEqual([
      ["b", "ok"],
      ["a", "cap"],
    ]);
  });

  it("forgets a put once its TTL has run out", () => {
    const alg = createAdmission("fairStorage", random());
    period(alg, [put("a", 1024, 2)], 0); // accepted at 1 s, stored until 3 s
    period(alg, [put("b", 10, 3600)], 1); // accepted at 2 s
    // At 3 s a's put has expired: a stores 0 and b 10, so a wins.
    expect(verdicts(period(alg, [put("b"), put("a")], 2))).toEqual([
      ["b", "cap"],
      ["a", "ok"],
    ]);
  });
});

describe("fairRate", () => {
  it("accepts from the lowest level of bytes accepted over the last 30 s, and forgets older acceptances", () => {
    const alg = createAdmission("fairRate", random());
    expect(verdicts(period(alg, [put("a")], 0))).toEqual([["a", "ok"]]);
    // a was accepted within the window, b never: b is alone in the lowest level.
    expect(verdicts(period(alg, [put("a"), put("b")], 1))).toEqual([
      ["a", "cap"],
      ["b", "ok"],
    ]);
    // With a and b at 1 kB each and c new at 0, c wins.
    expect(verdicts(period(alg, [put("a"), put("b"), put("c")], 2))).toEqual([
      ["a", "cap"],
      ["b", "cap"],
      ["c", "ok"],
    ]);
    // Let b keep putting alone for 40 s: a's and c's acceptances leave the window, b's do not.
    for (let s = 3; s < 43; s++) period(alg, [put("b")], s);
    expect(verdicts(period(alg, [put("b"), put("a")], 43))).toEqual([
      ["b", "cap"],
      ["a", "ok"],
    ]);
  });
});

describe("fairCommitment", () => {
  it("charges size·TTL on acceptance and pays it back at stored bytes per period", () => {
    const alg = new FairCommitmentAdmission(1, random());
    // a is accepted a 100 B·5 s put: commitment 500, less 100 stored in its own period = 400.
    expect(verdicts(period(alg, [put("a", 100, 5)], 0))).toEqual([["a", "ok"]]);
    // a (400) against b (0): b.
    expect(verdicts(period(alg, [put("a", 100, 5), put("b", 100, 1000)], 1))).toEqual([
      ["a", "cap"],
      ["b", "ok"],
    ]);
    // Four periods later a's put has been paid for and expired (commitment 0) while b still owes
    // 100·1000 − 5·100: a wins.
    for (let s = 2; s < 6; s++) alg.tick(alg.nextTickS());
    expect(verdicts(period(alg, [put("b", 100, 5), put("a", 100, 5)], 6))).toEqual([
      ["b", "cap"],
      ["a", "ok"],
    ]);
  });
});

describe("fairSpaceTime (fssim's VirtualTime)", () => {
  const limits = spaceTimeLimits();

  it("serves the smallest finish tag first, within what the storage tree allows", () => {
    const alg = createAdmission("fairSpaceTime", random(), { limits });
    // Both ask to be kept for an hour; the small put's tag is lower, so it is served first, and then the maximum
    // put no longer fits beside it (1040 B + 1 kB/s · 3600 s > C). Neither client has a tag yet: AGAIN.
    expect(verdicts(period(alg, [put("big", 1024, 3600), put("small", 16, 3600)], 0))).toEqual([
      ["small", "ok"],
      ["big", "again"],
    ]);
    // A short put beside a maximum one fits: it is gone before the hour's room is needed.
    const roomy = createAdmission("fairSpaceTime", random(), { limits });
    expect(verdicts(period(roomy, [put("big", 1024, 3600), put("small", 16, 60)], 0))).toEqual([
      ["small", "ok"],
      ["big", "ok"],
    ]);
  });

  it("answers AGAIN to a client below its share and CAP to one above it", () => {
    const alg = createAdmission("fairSpaceTime", random(), { limits });
    // greedy's first put (tag one maximum put, M) is accepted; its second (tag 2M) finds no room, and greedy's
    // tag is ahead of the virtual time (0): CAP.
    expect(verdicts(period(alg, [put("greedy"), put("greedy")], 0))).toEqual([
      ["greedy", "ok"],
      ["greedy", "cap"],
    ]);
    // A newcomer starts at the virtual time (tag M < greedy's 2M), so it is served first.
    expect(verdicts(period(alg, [put("greedy"), put("newcomer")], 1))).toEqual([
      ["newcomer", "ok"],
      ["greedy", "cap"],
    ]);
    // Two more newcomers tie at tag M: the first takes the second's room; the other, with no tag, hears AGAIN.
    expect(verdicts(period(alg, [put("x"), put("y")], 2))).toEqual([
      ["x", "ok"],
      ["y", "again"],
    ]);
  });

  it("refuses puts over its limits with CAP at once", () => {
    const alg = createAdmission("fairSpaceTime", random(), { limits });
    expect(verdicts(alg.offer(put("a", 2048, 60), 0))).toEqual([["a", "cap"]]);
    expect(verdicts(alg.offer(put("a", 10, 7200), 0))).toEqual([["a", "cap"]]);
  });
});

describe("noQueuing", () => {
  it("decides on arrival: OK if the tree has room, AGAIN a period later if not, CAP above the recent finish tags", () => {
    const alg = new NoQueuingAdmission(1, spaceTimeLimits());
    expect(alg.offer(put("a"), 0.2)).toEqual([expect.objectContaining({ verdict: "ok", atS: 0.2 })]);
    // Same instant, a light client for an hour: no room beside a's maximum put, so AGAIN, delivered a period later.
    expect(alg.offer(put("b", 16, 3600), 0.2)).toEqual([expect.objectContaining({ verdict: "again", atS: 1.2 })]);
    // a's next tag (2M) is above the lowest tag accepted in the last two periods (a's first, M): CAP.
    expect(verdicts(alg.offer(put("a"), 1.2))).toEqual([["a", "cap"]]);
    // b's tag (16·3600) is below it, and a second on there is room.
    expect(verdicts(alg.offer(put("b", 16, 3600), 1.2))).toEqual([["b", "ok"]]);
    expect(alg.nextTickS()).toBe(Infinity);
  });
});

describe("openDht (the deployed root)", () => {
  it("fills each TTL class's bucket at the leaf set's pace: 2 KiB/s with eight default peers, 16 KiB/s before gossip", () => {
    expect(fillRatesBytesPerS(openDhtSettings())).toEqual([2048, 2048, 2048]);
    expect(fillRatesBytesPerS(openDhtSettings({ leafSetDiskBytes: undefined }))).toEqual([16384, 16384, 16384]);
    // One small peer among nine largest sets the pace: the 9th largest of {8 peers, self}.
    const own = openDhtSettings().ownDiskBytes;
    const small = own.map((d) => d / 2);
    expect(fillRatesBytesPerS(openDhtSettings({ leafSetDiskBytes: [...Array(7).fill(own), small] }))).toEqual([1024, 1024, 1024]);
  });

  it("stores at once when the bucket holds the put's cost (value + 77 B), else parks a light client's put in the slop", () => {
    const alg = new OpenDhtAdmission(openDhtSettings());
    // Buckets start empty: a's first put waits in the slop (a stores nothing, so it is within its share) and is
    // stored once 1101 B of tokens have come in: ceil(1101/2048 s) = 538 ms.
    expect(alg.offer(put("a"), 0)).toEqual([]);
    expect(alg.nextTickS()).toBeCloseTo(0.538, 9);
    expect(alg.tick(0.5)).toEqual([]);
    expect(verdicts(alg.tick(0.538))).toEqual([["a", "ok"]]);
    // A second later 2048 B have come in: stored on arrival.
    expect(verdicts(alg.offer(put("a"), 1.538))).toEqual([["a", "ok"]]);
    // TTL classes: a put for a day draws on its own bucket (filling since time 0); one beyond a week is refused.
    expect(verdicts(alg.offer(put("b", 1024, 86_400), 1.6))).toEqual([["b", "ok"]]);
    expect(verdicts(alg.offer(put("b", 1024, 700_000), 1.6))).toEqual([["b", "cap"]]);
  });

  it("caps a client far above its fair share once the slop runs short, while lighter clients still wait in it", () => {
    const alg = new OpenDhtAdmission(openDhtSettings());
    // Ten seconds of tokens (20,480 B) store 18 puts of 1101 B on arrival: a 1, b 7, greedy 10; 662 B are left.
    for (const [client, n] of [["a", 1], ["b", 7], ["greedy", 10]] as const) {
      for (let k = 0; k < n; k++) expect(verdicts(alg.offer(put(client), 10))).toEqual([[client, "ok"]]);
    }
    // Four clients storing nothing park two puts each in the slop (8808 B of 10 KiB); a third is over the
    // per-client slop limit.
    for (const c of ["c1", "c2", "c3", "c4"]) {
      expect(alg.offer(put(c), 10)).toEqual([]);
      expect(alg.offer(put(c), 10)).toEqual([]);
    }
    expect(verdicts(alg.offer(put("c1"), 10))).toEqual([["c1", "cap"]]);
    // Water-filling for greedy (11 puts with this one) over a (1) and b (7): level 19/3 drops a, level 9 drops b,
    // then greedy is at the level after k = 2 rounds, which needs 2 KiB of slop free; only 1432 B are: CAP.
    expect(verdicts(alg.offer(put("greedy"), 10))).toEqual([["greedy", "cap"]]);
    // a is below the first level (k = 0): its put still waits in the slop.
    expect(alg.offer(put("a"), 10)).toEqual([]);
    // The slop drains in arrival order as tokens come in.
    const drained: string[] = [];
    while (Number.isFinite(alg.nextTickS())) drained.push(...alg.tick(alg.nextTickS()).map((r) => r.put.client));
    expect(drained).toEqual(["c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4", "a"]);
  });

  it("refuses every put without enough replicas (leaf set + self below eight)", () => {
    const lonely = new OpenDhtAdmission(openDhtSettings({ leafSetDiskBytes: Array(6).fill(openDhtSettings().ownDiskBytes) }));
    expect(verdicts(lonely.offer(put("a"), 100))).toEqual([["a", "cap"]]);
  });
});
