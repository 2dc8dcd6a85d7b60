import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Scheduler, type WheelShape } from "./scheduler.js";

type Op = { kind: "schedule"; delay: number } | { kind: "cancel"; pick: number } | { kind: "step" };

const op: fc.Arbitrary<Op> = fc.oneof(
  // Mostly few distinct delays (µs), so that ties in time are common; some longer ones.
  fc.record({ kind: fc.constant("schedule" as const), delay: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 40 })) }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("step" as const) }),
);

// The default wheel, and small ones whose buckets and far heap the delays above reach.
const shapes: (WheelShape | undefined)[] = [undefined, { bucketUs: 1, buckets: 2 }, { bucketUs: 0.75, buckets: 8 }, { bucketUs: 3, buckets: 4 }];

describe("Scheduler", () => {
  it.each(shapes)("fires events in (time, insertion) order, never fires cancelled ones, and never goes back in time (wheel %o)", (shape) => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const s = new Scheduler(shape);
        const fired: number[] = [];
        const model: { time: number; seq: number; handle: number; cancelled: boolean }[] = [];
        let seq = 0;
        let lastTime = 0;
        const fire = (id: number) => {
          expect(s.nowUs).toBeGreaterThanOrEqual(lastTime);
          lastTime = s.nowUs;
          fired.push(id);
        };
        const expectedNext = () =>
          model.filter((e) => !e.cancelled && !fired.includes(e.seq)).sort((a, b) => a.time - b.time || a.seq - b.seq)[0];
        for (const o of ops) {
          if (o.kind === "schedule") {
            const id = seq++;
            const handle = s.after(o.delay, fire, id);
            model.push({ time: s.nowUs + o.delay, seq: id, handle, cancelled: false });
          } else if (o.kind === "cancel" && model.length > 0) {
            const e = model[o.pick % model.length];
            const wasPending = !e.cancelled && !fired.includes(e.seq);
            expect(s.cancel(e.handle)).toBe(wasPending);
            if (wasPending) e.cancelled = true;
          } else if (o.kind === "step") {
            const next = expectedNext();
            expect(s.step()).toBe(next !== undefined);
            if (next !== undefined) expect(fired[fired.length - 1]).toBe(next.seq);
          }
        }
        while (s.step());
        const cancelled = new Set(model.filter((e) => e.cancelled).map((e) => e.seq));
        for (const id of fired) expect(cancelled.has(id)).toBe(false);
        expect(fired.length + cancelled.size).toBe(model.length);
        expect(s.executed).toBe(fired.length);
      }),
    );
  });

  it("keeps FIFO order for events a handler schedules at the current time", () => {
    const s = new Scheduler();
    const order: string[] = [];
    s.schedule(10, () => {
      order.push("a");
      s.after(0, () => order.push("c"));
    });
    s.schedule(10, () => order.push("b"));
    while (s.step());
    expect(order).toEqual(["a", "b", "c"]);
  });

  it("hands an event's handler both of its arguments", () => {
    const s = new Scheduler();
    const seen: unknown[] = [];
    s.schedule(1, (a, b) => seen.push(a, b), "arg", 42);
    s.schedule(2, (a, b) => seen.push(a, b), "only");
    while (s.step());
    expect(seen).toEqual(["arg", 42, "only", undefined]);
  });

  it("refuses to schedule in the past or at a non-finite time", () => {
    const s = new Scheduler();
    s.schedule(100, () => {});
    s.step();
    expect(() => s.schedule(50, () => {})).toThrow(/cannot schedule an event at 50 µs: the clock is at 100 µs/);
    expect(() => s.schedule(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => s.schedule(Infinity, () => {})).toThrow(RangeError);
    expect(() => s.after(-1, () => {})).toThrow(/delays must be ≥ 0/);
  });

  it("does not let a stale handle cancel the event that reused its slot", () => {
    const s = new Scheduler();
    const old = s.schedule(1, () => {});
    s.step();
    let fired = false;
    const fresh = s.schedule(2, () => (fired = true));
    expect(fresh).not.toBe(old);
    expect(s.cancel(old)).toBe(false);
    expect(s.isPending(fresh)).toBe(true);
    s.step();
    expect(fired).toBe(true);
    expect(s.cancel(fresh)).toBe(false);
  });

  it("runUntil fires what is due, honours its event budget, and leaves the clock at the end time", () => {
    const s = new Scheduler();
    const fired: number[] = [];
    for (const t of [5, 10, 15, 20, 30]) s.schedule(t, () => fired.push(t));
    expect(s.runUntil(15, 2)).toBe(2);
    expect(s.nowUs).toBe(10);
    expect(s.runUntil(25)).toBe(2);
    expect(fired).toEqual([5, 10, 15, 20]);
    expect(s.nowUs).toBe(25);
    expect(s.nextTimeUs()).toBe(30);
  });

  it("skips long empty stretches and reaches events far beyond its wheel", () => {
    const s = new Scheduler({ bucketUs: 2, buckets: 4 });
    const fired: number[] = [];
    for (const t of [2e9, 6, 14e6, 5, 14e6 + 1]) s.schedule(t, () => fired.push(t));
    s.cancel(s.schedule(1e7, () => fired.push(1e7)));
    while (s.step());
    expect(fired).toEqual([5, 6, 14e6, 14e6 + 1, 2e9]);
    expect(s.nowUs).toBe(2e9);
    expect(s.pending).toBe(0);
  });

  it("brings a far event into the wheel as the wheel advances, ahead of later events scheduled since", () => {
    const s = new Scheduler({ bucketUs: 2, buckets: 4 });
    const fired: number[] = [];
    const at = (t: number) => s.schedule(t, () => fired.push(t));
    at(10); // beyond the wheel's reach: the far heap
    at(1);
    at(6);
    s.step();
    s.step(); // the wheel has moved past bucket 3
    at(12);
    while (s.step());
    expect(fired).toEqual([1, 6, 10, 12]);
  });

  it("rejects a wheel that is not a power of two buckets", () => {
    expect(() => new Scheduler({ bucketUs: 1, buckets: 6 })).toThrow(/power-of-two number of buckets, got 1 µs × 6/);
  });

  it("counts whole microseconds: a fractional, infinite or past time is refused", () => {
    const s = new Scheduler();
    for (const t of [0.5, 1e3 + 1e-9, Infinity, Number.NaN, 2 ** 53]) expect(() => s.schedule(t, () => {})).toThrow(/whole microseconds/);
    s.schedule(10, () => {});
    s.step();
    expect(() => s.schedule(9, () => {})).toThrow(/not in the past/);
  });

  it("grows past its initial capacity without losing order", () => {
    const s = new Scheduler();
    const fired: number[] = [];
    for (let i = 5000; i > 0; i--) s.schedule(i, () => fired.push(i));
    while (s.step());
    expect(fired).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  });
});
