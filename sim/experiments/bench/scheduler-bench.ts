import { Scheduler } from "../../engine/scheduler.js";

/**
 * Scheduler throughput in the steady state of a large simulation: `pending` events in the queue, and each
 * fired event schedules one more at a random delay (an inline LCG: no Math.random, no allocation).
 */
export function benchScheduler(opts: { pending?: number; operations?: number } = {}): {
  eventsPerSecond: number;
  pending: number;
  operations: number;
  seconds: number;
} {
  const pending = opts.pending ?? 100_000;
  const operations = opts.operations ?? 10_000_000;
  const scheduler = new Scheduler();
  let state = 1;
  const handler = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    scheduler.after((state & 0xffff) * 16, handler); // 0 to 1 s, in µs
  };
  for (let i = 0; i < pending; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    scheduler.schedule((state & 0xffff) * 16, handler);
  }
  for (let i = 0; i < operations / 10; i++) scheduler.step(); // warm-up: let the JIT settle
  const start = performance.now(); // wall-clock ok: the bench times the scheduler
  for (let i = 0; i < operations; i++) scheduler.step();
  const seconds = (performance.now() - start) / 1000; // wall-clock ok
  return { eventsPerSecond: operations / seconds, pending: scheduler.pending, operations, seconds };
}
