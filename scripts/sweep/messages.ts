import type { Summary } from "../../sim/metrics.js";

/** Parent → worker. */
export type ToWorker = { type: "run"; file: string; document: Record<string, unknown>; dir: string } | { type: "exit" };

/** Worker → parent. */
export type FromWorker =
  | { type: "progress"; events: number }
  | { type: "done"; summary: Summary & { wall_s: number } }
  | { type: "failed"; error: string }
  | { type: "interrupted" };
