import type { Summary } from "../metrics/metrics.js";

/** Parent → worker. `stop`: the sweep was interrupted; end the run in progress, writing nothing, then wait for `exit`. */
export type ToWorker = { type: "run"; file: string; document: Record<string, unknown>; dir: string } | { type: "stop" } | { type: "exit" };

/** Worker → parent. */
export type FromWorker =
  | { type: "progress"; events: number }
  /** `cpuSeconds`: the worker process's CPU time during the run, all its threads (V8 compiles and collects on
   * helper threads), user and system. */
  | { type: "done"; summary: Summary & { wall_s: number }; cpuSeconds: number }
  | { type: "failed"; error: string }
  | { type: "interrupted" };
