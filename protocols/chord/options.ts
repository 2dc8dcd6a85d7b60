import { parseTimeoutOptions, type TimeoutOptions, timeoutStrategyOptions } from "../common/timeout-options.js";

export interface ChordOptions extends TimeoutOptions {
  successors: number;
  stabilizeMs: number;
  fixFingersMs: number;
  checkPredecessorMs: number;
  routing: "recursive" | "iterative";
  fingerPns: boolean;
  joinRetryMs: number;
  /** Healing after partitions: off (Chord's behaviour), or re-probing nodes given up on. */
  heal: "off" | "reprobe";
  healMemoryMs: number;
  healListSize: number;
  healPeriodMs: number;
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
    heal: {
      enum: ["off", "reprobe"],
      default: "off",
      description:
        "Healing after partitions and long loss bursts: off (a node that fails to answer is dropped for good), or reprobe (remember nodes dropped for healMemory and re-probe one every healPeriod; one that answers is offered as a successor when it lies between us and ours, and told of us by a notify, so rings split by a partition meet and merge).",
    },
    healMemory: duration("30m", "Healing: how long a dropped node stays on the list to re-probe."),
    healListSize: { type: "integer", minimum: 1, maximum: 1024, default: 32, description: "Healing: dropped nodes remembered at most (the oldest dropped first)." },
    healPeriod: duration("10s", "Healing: mean time between re-probes of one dropped node (jittered uniformly in [T/2, 3T/2))."),
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
    heal: o.heal as ChordOptions["heal"],
    healMemoryMs: ms("healMemory"),
    healListSize: o.healListSize as number,
    healPeriodMs: ms("healPeriod"),
  };
}
