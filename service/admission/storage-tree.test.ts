import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StorageTree } from "./storage-tree.js";

interface Held {
  readonly expiryMs: number;
  readonly bytes: number;
}

/**
 * The test written out directly: for every t ≥ now, s(t) + rate·(t − now) ≤ capacity. The left side only rises
 * between expiries, so it is checked at now and in the limit just before each expiry e, where s = bytes expiring
 * at or after e. Times in ms, so the comparison is multiplied through by 1000.
 */
function holds(held: readonly Held[], nowMs: number, rate: number, capacity: number): boolean {
  const alive = held.filter((h) => h.expiryMs > nowMs);
  const atNow = alive.reduce((t, h) => t + h.bytes, 0);
  if (atNow > capacity) return false;
  for (const { expiryMs: e } of alive) {
    const s = alive.filter((h) => h.expiryMs >= e).reduce((t, h) => t + h.bytes, 0);
    if (1000 * s + rate * (e - nowMs) > 1000 * capacity) return false;
  }
  return true;
}

describe("storage tree", () => {
  it("accepts exactly what keeps room for the guaranteed rate (a hand-worked case, rate 1 B/s, disk 10 B)", () => {
    const tree = new StorageTree(1, 10);
    // Just before t = 5: 5 B alive + 1 B/s · 5 s = 10.
    expect(tree.tryAdd(5, 5)).toBe(true);
    // Just before t = 1: 6 B + 1 = 7; just before 5: still 5 + 5 = 10.
    expect(tree.tryAdd(1, 1)).toBe(true);
    // Just before t = 5 it would be 6 + 5 = 11.
    expect(tree.wouldAccept(1, 5)).toBe(false);
    expect(tree.tryAdd(1, 5)).toBe(false);
    // A second later the 1-s put has expired and that second's room is spent: just before 5, 6 + 4 = 10 fits.
    tree.advance(1);
    expect(tree.tryAdd(1, 4)).toBe(true);
    expect(tree.entries()).toEqual([{ expiryS: 5, bytes: 6 }]);
    expect(tree.tryAdd(1, 4)).toBe(false);
  });

  it("takes fssim's maximum put (1 kB for 1 h) exactly once a second with fssim's constants", () => {
    const tree = new StorageTree(1024, 1024 * 3600 + 1024);
    let accepted = 0;
    for (let s = 0; s < 7200; s++) {
      tree.advance(s);
      if (tree.tryAdd(1024, 3600)) accepted++;
      expect(tree.tryAdd(1024, 3600)).toBe(false);
    }
    expect(accepted).toBe(7200);
    // Short puts still fit beside them: a 1 kB put for 1 s needs only the room of its own second.
    expect(tree.wouldAccept(1024, 1)).toBe(false);
    tree.advance(7200.5);
    expect(tree.wouldAccept(512, 1)).toBe(true);
  });

  it("agrees with the direct test after any sequence of puts and time steps, and never breaks it", () => {
    const op = fc.record({ stepMs: fc.integer({ min: 0, max: 4000 }), bytes: fc.integer({ min: 1, max: 64 }), ttlMs: fc.integer({ min: 1, max: 20_000 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 200 }), fc.array(op, { maxLength: 120 }), (rate, slack, ops) => {
        const maxTtlS = 20;
        const capacity = rate * maxTtlS + 64 + slack;
        const tree = new StorageTree(rate, capacity);
        const held: Held[] = [];
        let nowMs = 0;
        for (const { stepMs, bytes, ttlMs } of ops) {
          nowMs += stepMs;
          tree.advance(nowMs / 1000);
          const expected = holds([...held, { expiryMs: nowMs + ttlMs, bytes }], nowMs, rate, capacity);
          if (tree.wouldAccept(bytes, ttlMs / 1000) !== expected) return false;
          const got = tree.tryAdd(bytes, ttlMs / 1000);
          if (got !== expected) return false;
          if (got) held.push({ expiryMs: nowMs + ttlMs, bytes });
          if (!holds(held, nowMs, rate, capacity)) return false;
        }
        return true;
      }),
      { numRuns: 300, seed: 26 },
    );
  });

  it("forgets expired puts, and refuses to move back in time", () => {
    const tree = new StorageTree(1, 100);
    tree.tryAdd(10, 2);
    tree.tryAdd(10, 3);
    tree.advance(2);
    expect(tree.entries()).toEqual([{ expiryS: 3, bytes: 10 }]);
    tree.advance(3);
    expect(tree.size).toBe(0);
    expect(() => tree.advance(1)).toThrow(/back/);
  });
});
