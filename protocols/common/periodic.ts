import type { NodeRuntime } from "../../sim/runtime/index.js";

/**
 * When a periodic task first runs: after one jittered period, like every later run (Bamboo), or at a uniform
 * phase in [0, T) (Chord, Kademlia), so that nodes joined together do not all start at once.
 */
export type FirstRun = "jittered" | "phase";

export interface Schedule {
  /** Default "jittered". */
  first?: FirstRun;
  /** Each later interval uniform in [T/2, 3T/2), so that nodes do not fall into step; false: exactly T. Default true. */
  jitter?: boolean;
}

/**
 * Runs `task` every `periodMs` for as long as the node lives. Each delay is drawn from the node's random stream
 * when its timer is set, and the next timer is set after the task has run, so the draws interleave with the
 * task's own in a fixed order.
 */
export function every(rt: NodeRuntime<any>, periodMs: number, task: () => void, schedule: Schedule = {}): void {
  const jitter = schedule.jitter ?? true;
  const tick = () => {
    task();
    rt.setTimer(jitter ? jittered(rt, periodMs) : periodMs, tick);
  };
  const first = schedule.first === "phase" ? rt.random.uniform(0, periodMs) : jittered(rt, periodMs);
  rt.setTimer(first, tick);
}

/** Uniform in [T/2, 3T/2). */
function jittered(rt: NodeRuntime<any>, periodMs: number): number {
  return rt.random.uniform(periodMs / 2, (3 * periodMs) / 2);
}
