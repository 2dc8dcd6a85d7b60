import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import type { RealClock } from "../sim/simulation/live-environment.js";

/**
 * The wall clock a live run follows (µs since the run began), and the run's one wait: until the next event is due
 * or a message arrives that is due sooner. Node's timers have millisecond resolution, so a wait rounds up and an
 * event runs at most about a millisecond late on an idle machine; event-loop lag comes on top and is measured.
 */
export class WallClock implements RealClock {
  private readonly origin = performance.now(); // wall-clock ok: this is the live run's clock
  private timer: NodeJS.Timeout | null = null;
  private waiting: (() => void) | null = null;
  /** What the sleeping run waits for (µs); Infinity when it is not waiting. */
  private armedUs = Infinity;
  /** How late each timed wake-up came (µs past the time waited for): the event loop's lag as the run feels it. */
  readonly lateness: RecordableHistogram = createHistogram();
  private readonly fire = () => {
    if (this.armedUs > 0 && Number.isFinite(this.armedUs)) this.lateness.record(Math.max(1, this.nowUs() - this.armedUs));
    const resume = this.waiting;
    this.timer = null;
    this.waiting = null;
    this.armedUs = Infinity;
    resume?.();
  };

  nowUs(): number {
    return Math.floor((performance.now() - this.origin) * 1000); // wall-clock ok
  }

  wait(timeUs: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.arm(timeUs);
    });
  }

  /** Something fell due at `timeUs` (a message arrived, a run failed): wake the run if it sleeps past then. */
  poke(timeUs: number): void {
    if (this.waiting !== null && timeUs < this.armedUs) this.arm(timeUs);
  }

  /** No more waits: a sleeping run wakes now. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.fire();
  }

  private arm(timeUs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.armedUs = timeUs;
    const delayMs = Math.ceil((timeUs - this.nowUs()) / 1000);
    // Due already: run at once, but after I/O callbacks (setImmediate), so a busy run still hears Ctrl-C.
    if (delayMs <= 0) {
      this.timer = null;
      setImmediate(this.fire);
      this.armedUs = -Infinity;
      return;
    }
    // Beyond Node's longest timer (~24.8 days) only a message or stop() wakes the run.
    this.timer = delayMs < 2 ** 31 ? setTimeout(this.fire, delayMs) : null;
  }
}
