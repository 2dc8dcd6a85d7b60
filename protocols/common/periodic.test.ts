import { describe, expect, it } from "vitest";
import { Scheduler } from "../../sim/engine/scheduler.js";
import { msFromUs, usFromMs } from "../../sim/engine/sim-time.js";
import { SeededRandom } from "../../sim/engine/seeded-random.js";
import type { NodeRuntime } from "../../sim/runtime/index.js";
import { every, type Schedule } from "./periodic.js";

/** A runtime that only keeps time and draws random numbers, noting the range of every uniform draw. */
function setup() {
  const scheduler = new Scheduler();
  const random = SeededRandom.root(7);
  const draws: [number, number][] = [];
  const uniform = random.uniform.bind(random);
  random.uniform = (lo: number, hi: number) => {
    draws.push([lo, hi]);
    return uniform(lo, hi);
  };
  const rt = {
    random,
    now: () => msFromUs(scheduler.nowUs),
    setTimer: (delay: number, callback: (arg: unknown) => void, arg?: unknown) => scheduler.after(usFromMs(delay), callback, arg),
  } as unknown as NodeRuntime;
  return { scheduler, draws, rt };
}

/** The times (ms) `task` ran within `untilMs`, and the ranges drawn from. */
function runs(periodMs: number, schedule: Schedule | undefined, untilMs: number) {
  const { scheduler, draws, rt } = setup();
  const at: number[] = [];
  every(rt, periodMs, () => at.push(msFromUs(scheduler.nowUs)), schedule);
  scheduler.runUntil(usFromMs(untilMs));
  return { at, draws };
}

describe("every", () => {
  it("by default waits a jittered period before the first run and between runs: uniform in [T/2, 3T/2)", () => {
    const { at, draws } = runs(1000, undefined, 100_000);
    expect(at.length).toBeGreaterThan(50);
    expect(at[0]).toBeGreaterThanOrEqual(500);
    expect(at[0]).toBeLessThan(1500);
    for (let i = 1; i < at.length; i++) {
      expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(500);
      expect(at[i] - at[i - 1]).toBeLessThan(1500);
    }
    expect(draws.every(([lo, hi]) => lo === 500 && hi === 1500)).toBe(true);
    // One draw per timer set: the first, one per run.
    expect(draws.length).toBe(at.length + 1);
  });

  it("with a random phase, first runs within [0, T), then jittered", () => {
    const { at, draws } = runs(1000, { first: "phase" }, 100_000);
    expect(at[0]).toBeLessThan(1000);
    expect(draws[0]).toEqual([0, 1000]);
    expect(draws.slice(1).every(([lo, hi]) => lo === 500 && hi === 1500)).toBe(true);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it("without jitter, runs exactly every T after its phase, drawing only the phase", () => {
    const { at, draws } = runs(1000, { first: "phase", jitter: false }, 10_500);
    expect(draws).toEqual([[0, 1000]]);
    expect(at.length).toBeGreaterThanOrEqual(10);
    // Whole microseconds apart: the clock counts them, so no rounding error accumulates.
    for (let i = 1; i < at.length; i++) expect(usFromMs(at[i]) - usFromMs(at[i - 1])).toBe(1_000_000);
  });
});
