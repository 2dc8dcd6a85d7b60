import { MinHeap } from "../admission/min-heap.js";
import type { RedirClock, TimerHandle } from "./put-get.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/**
 * A deterministic timer queue standing in for the engine's scheduler until ReDiR is wired into it: timers fire in
 * time order, ties in the order they were set, and time only moves when the queue is run.
 */
export class VirtualTimers implements RedirClock {
  private time = 0;
  private seq = 0;
  private readonly heap = new MinHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private readonly cancelled = new Set<TimerHandle>();

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fire: () => void): TimerHandle {
    if (!(ms >= 0)) throw new Error(`timer delay must be ≥ 0 ms, got ${ms}`);
    const seq = ++this.seq;
    this.heap.push({ at: this.time + ms, seq, fire });
    return seq;
  }

  cancelTimer(handle: TimerHandle): void {
    this.cancelled.add(handle);
  }

  /** Fire every timer due at or before `until`, then set the time to `until`. */
  runUntil(until: number): void {
    for (;;) {
      const next = this.heap.peek();
      if (next === undefined || next.at > until) break;
      this.heap.pop();
      if (this.cancelled.delete(next.seq)) continue;
      this.time = next.at;
      next.fire();
    }
    this.time = Math.max(this.time, until);
  }

  /** Fire timers until none is left (for tests whose work ends by itself: no periodic refresh running). */
  runToIdle(maxTimers = 1_000_000): void {
    for (let n = 0; n < maxTimers; n++) {
      const next = this.heap.pop();
      if (next === undefined) return;
      if (this.cancelled.delete(next.seq)) continue;
      this.time = next.at;
      next.fire();
    }
    throw new Error(`timers still pending after ${maxTimers}: something keeps rescheduling`);
  }
}
