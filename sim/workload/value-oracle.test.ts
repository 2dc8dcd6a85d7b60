import { describe, expect, it } from "vitest";
import type { Id } from "../runtime/ids.js";
import type { StorageDisk } from "../runtime/storage-layer.js";
import { TimeQueue } from "./time-queue.js";
import { ValueOracle } from "./value-oracle.js";

const K = "a".repeat(40);
const S = 1_000_000; // 1 s in µs
const HOUR = 3600 * S;

function disk(tuples: [Id, number, boolean][]): StorageDisk {
  return { forEachTuple: (visit) => tuples.forEach(([k, h, r]) => visit(k, h, r, HOUR)) };
}

/** An oracle with values 1 and 2 under K, acked at 1 s, expiring in an hour, each held by three live nodes. */
function twoValues(): ValueOracle {
  const o = new ValueOracle(60_000);
  for (const h of [1, 2]) {
    o.putIssued(K, h, HOUR);
    for (let i = 0; i < 3; i++) o.held(K, h, false, 1);
    o.putAcked(K, h, HOUR, S);
  }
  return o;
}

describe("the value oracle's judgement of gets", () => {
  it("complete: every value acked before the get returned", () => {
    expect(twoValues().judge(K, [1, 2], 10 * S, 11 * S)).toEqual({ status: "complete", expected: 2, returned: 2, missing: 0, stale: 0, expired: 0 });
  });

  it("partial: a value expected is missing", () => {
    expect(twoValues().judge(K, [2], 10 * S, 11 * S)).toEqual({ status: "partial", expected: 2, returned: 1, missing: 1, stale: 0, expired: 0 });
  });

  it("failed: no answer at all", () => {
    expect(twoValues().judge(K, null, 10 * S, 11 * S)).toMatchObject({ status: "failed", expected: 2, missing: 2 });
  });

  it("stale: a value removed (acked) before the get started, or expired before it", () => {
    const o = twoValues();
    o.removeAcked(K, 1, 5 * S);
    expect(o.judge(K, [1, 2], 10 * S, 11 * S)).toEqual({ status: "stale", expected: 1, returned: 2, missing: 0, stale: 1, expired: 0 });
    expect(o.judge(K, [2], 10 * S, 11 * S).status).toBe("complete");
    o.putIssued(K, 3, 20 * S);
    o.putAcked(K, 3, 20 * S, 2 * S);
    expect(o.judge(K, [2, 3], 30 * S, 31 * S)).toMatchObject({ status: "stale", stale: 1 });
    // Long forgotten (beyond the grace period): still stale.
    expect(o.judge(K, [2, 3], 200 * S, 201 * S)).toMatchObject({ status: "stale", stale: 1 });
  });

  it("allows what was in flight: a put not yet acked, a remove acked during the get, a value expiring during it", () => {
    const o = twoValues();
    o.putIssued(K, 3, HOUR);
    expect(o.judge(K, [1, 2, 3], 10 * S, 11 * S)).toEqual({ status: "complete", expected: 2, returned: 3, missing: 0, stale: 0, expired: 0 });
    o.putAcked(K, 3, HOUR, 20 * S);
    // Acked after the get started: allowed either way.
    expect(o.judge(K, [1, 2], 19 * S, 21 * S).status).toBe("complete");
    o.removeAcked(K, 1, 30 * S);
    expect(o.judge(K, [1, 2, 3], 29 * S, 31 * S).status).toBe("complete");
    expect(o.judge(K, [2, 3], 29 * S, 31 * S).status).toBe("complete");
    o.putIssued(K, 4, 40 * S);
    o.putAcked(K, 4, 40 * S, 32 * S);
    expect(o.judge(K, [2, 3, 4], 39 * S, 41 * S)).toMatchObject({ status: "complete", expected: 2 });
    expect(o.judge(K, [2, 3], 39 * S, 41 * S)).toMatchObject({ status: "complete", expected: 2 });
  });
});

describe("the value oracle's durability", () => {
  it("counts a value held by no node, live or offline, as lost once", () => {
    const o = twoValues();
    for (let i = 0; i < 2; i++) o.held(K, 1, false, -1);
    expect(o.stats(2 * S)).toMatchObject({ valuesStored: 2, replicasMean: 2, replicasMin: 1, valuesLost: 0 });
    o.held(K, 1, false, -1);
    expect(o.stats(3 * S)).toMatchObject({ valuesStored: 1, replicasMean: 3, replicasMin: 3, valuesLost: 1, valuesAcked: 2 });
    // Back again (a late copy) does not make it counted twice.
    o.held(K, 1, false, 1);
    o.held(K, 1, false, -1);
    expect(o.stats(4 * S).valuesLost).toBe(1);
  });

  it("counts a value only offline nodes hold as unavailable, and available again when one returns", () => {
    const o = new ValueOracle(60_000);
    o.putIssued(K, 7, HOUR);
    o.held(K, 7, false, 1);
    o.putAcked(K, 7, HOUR, S);
    const d = disk([[K, 7, false], [K, 99, true]]);
    o.nodeDeparted(d, true);
    expect(o.stats(2 * S)).toMatchObject({ valuesStored: 1, valuesUnavailable: 1, valuesLost: 0, replicasMin: 0 });
    o.nodeReturned(d);
    expect(o.stats(3 * S)).toMatchObject({ valuesStored: 1, valuesUnavailable: 0, replicasMin: 1 });
    o.nodeDeparted(d, false);
    expect(o.stats(4 * S)).toMatchObject({ valuesStored: 0, valuesUnavailable: 0, valuesLost: 1 });
  });

  it("counts a value lost when the disk that alone held it is discarded", () => {
    const o = new ValueOracle(60_000);
    o.putIssued(K, 7, HOUR);
    o.held(K, 7, false, 1);
    o.putAcked(K, 7, HOUR, S);
    const d = disk([[K, 7, false]]);
    o.nodeDeparted(d, true);
    o.diskDiscarded(d);
    expect(o.stats(2 * S)).toMatchObject({ valuesLost: 1, valuesUnavailable: 0 });
  });

  it("counts a put acked after every holder went as lost, and removed or never-acked values never", () => {
    const o = new ValueOracle(60_000);
    o.putIssued(K, 1, HOUR);
    o.putAcked(K, 1, HOUR, S);
    o.putIssued(K, 2, HOUR);
    o.held(K, 2, false, 1);
    o.held(K, 2, false, -1);
    o.putIssued(K, 3, HOUR);
    o.held(K, 3, false, 1);
    o.putAcked(K, 3, HOUR, S);
    o.removeAcked(K, 3, 2 * S);
    o.held(K, 3, false, -1);
    expect(o.stats(3 * S)).toMatchObject({ valuesLost: 1, valuesStored: 0, valuesAcked: 2 });
  });

  it("does not count a value whose tombstone is out as lost when its copies go before the remove is acked", () => {
    const o = twoValues();
    o.held(K, 1, true, 1);
    for (let i = 0; i < 3; i++) o.held(K, 1, false, -1);
    expect(o.stats(2 * S)).toMatchObject({ valuesLost: 0, valuesStored: 2, replicasMin: 0 });
    o.removeAcked(K, 1, 3 * S);
    expect(o.stats(4 * S)).toMatchObject({ valuesLost: 0, valuesStored: 1 });
  });

  it("refuses a holder count below zero (a layer's reports out of step)", () => {
    const o = twoValues();
    expect(() => o.nodeDeparted(disk([[K, 1, false], [K, 1, false], [K, 1, false], [K, 1, false]]), true)).toThrow(/not counted/);
  });
});

describe("the value oracle's expiry", () => {
  it("retires values at their expiry and forgets them after the grace period, keeping memory bounded", () => {
    const o = new ValueOracle(60_000);
    // Ten puts a second for three hours, each with a 10-minute TTL, checked once a minute as the metrics do.
    let hash = 0;
    let largest = 0;
    for (let t = 0; t < 3 * HOUR; t += S / 10) {
      const key = hash.toString(16).padStart(40, "0");
      o.putIssued(key, hash, t + 600 * S);
      o.held(key, hash, false, 1);
      o.putAcked(key, hash, t + 600 * S, t);
      hash++;
      if (t % (60 * S) === 0) largest = Math.max(largest, o.stats(t).valuesStored, o.size);
    }
    expect(largest).toBeLessThanOrEqual(10 * (600 + 60 + 60));
    // Puts of the last ten minutes, but the one expiring at this very moment.
    expect(o.stats(3 * HOUR).valuesStored).toBe(5999);
    expect(o.stats(4 * HOUR)).toMatchObject({ valuesStored: 0, valuesLost: 0, valuesAcked: hash });
    expect(o.size).toBe(0);
  });

  it("ignores reports about expired values, and does not count them lost", () => {
    const o = twoValues();
    o.stats(HOUR);
    for (let i = 0; i < 5; i++) o.held(K, 1, false, -1);
    expect(o.stats(HOUR + S)).toMatchObject({ valuesStored: 0, valuesLost: 0 });
  });
});

describe("the time queue", () => {
  it("gives items back earliest first", () => {
    const q = new TimeQueue<number>();
    const times = [5, 3, 9, 1, 7, 3, 8, 2, 6, 4];
    times.forEach((t) => q.push(t, t));
    const out: number[] = [];
    while (q.size > 0) out.push(q.pop() as number);
    expect(out).toEqual([...times].sort((a, b) => a - b));
    expect(q.nextTime).toBe(Infinity);
  });
});
