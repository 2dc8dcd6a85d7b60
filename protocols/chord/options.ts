import { parseTimeoutOptions, type TimeoutOptions, timeoutStrategyOptions } from "../common/timeout-options.js";

export interface ChordOptions extends TimeoutOptions {
  successors: number;
  stabilizeMs: number;
  fixFingersMs: number;
  checkPredecessorMs: number;
  routing: "recursive" | "iterative";
  fingerPns: boolean;
  joinRetryMs: number;
}

const duration = (fallback: string, description: string) => ({ type: "string", format: "duration", default: fallback, description });

export const chordOptionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    successors: { type: "integer", minimum: 1, maximum: 64, default: 16, description: "Length of the successor list." },
    stabilize: duration("1s", "Stabilisation period: ask the successor for its predecessor and successor list, walking on to each closer successor at once (1 s is an assumption, as MIT Chord stabilises its successors about that often; the ring converges at much slower periods too)."),
    fixFingers: duration("10s", "Finger repair period: one finger looked up each time."),
    checkPredecessor: duration("10s", "Predecessor liveness check period."),
    routing: { enum: ["recursive", "iterative"], default: "recursive", description: "Lookups forwarded hop by hop, or the originator asking each hop." },
    fingerPns: { type: "boolean", default: false, description: "Proximity-aware fingers: among the nodes that could serve as a finger, the one with the lowest RTT." },
    // The coordinate and oracle constants are not offered: their defaults apply.
    ...timeoutStrategyOptions,
    joinRetry: duration("10s", "Join retry period."),
  },
} as const;

export function parseChordOptions(o: Record<string, unknown>): ChordOptions {
  const ms = (key: string) => o[key] as number;
  return {
    successors: o.successors as number,
    stabilizeMs: ms("stabilize"),
    fixFingersMs: ms("fixFingers"),
    checkPredecessorMs: ms("checkPredecessor"),
    routing: o.routing as ChordOptions["routing"],
    fingerPns: o.fingerPns as boolean,
    ...parseTimeoutOptions(o),
    joinRetryMs: ms("joinRetry"),
  };
}
