import { parseTimeoutOptions, type TimeoutOptions, timeoutStrategyOptions } from "../common/timeout-options.js";

export interface KademliaOptions extends TimeoutOptions {
  k: number;
  alpha: number;
  refreshMs: number;
  /** TCP-style timeouts: how long a lookup waits for a contact never sampled, the maximum or a seed from all our samples. */
  unsampledTimeout: "max" | "seeded";
  /** How long a contact that timed out is left out of lookups unless heard from; 0: not remembered. */
  failedMemoryMs: number;
  /** Contacts not heard from for this long are pinged; 0: never. */
  livenessCheckMs: number;
  joinRetryMs: number;
}

const duration = (fallback: string, description: string) => ({ type: "string", format: "duration", default: fallback, description });

export const kademliaOptionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    k: { type: "integer", minimum: 1, maximum: 100, default: 20, description: "Bucket size, and how many closest nodes a lookup converges on." },
    alpha: { type: "integer", minimum: 1, maximum: 20, default: 3, description: "Parallel requests of an iterative lookup." },
    refresh: duration("1h", "A bucket not used for this long is refreshed by a lookup of a random identifier in its range."),
    // The coordinate and oracle constants are not offered: their defaults apply.
    ...timeoutStrategyOptions,
    unsampledTimeout: {
      enum: ["seeded", "max"],
      default: "seeded",
      description:
        "TCP-style timeouts: how long a lookup waits for a contact never sampled before asking the next closest, SRTT + 4·MDEV + 10 ms over every sample this node has taken (of any contact), or maxTimeout. The request stays open for maxTimeout either way: a late answer still counts, and only then is the contact dropped.",
    },
    failedMemory: duration("5m", "A contact that timed out is left out of this node's lookups for this long, unless heard from in the meantime; 0s: not remembered."),
    livenessCheck: duration("0s", "A contact not heard from for this long is pinged, and leaves its bucket if silent (checked every half period); 0s: never, as in the paper."),
    joinRetry: duration("10s", "Join retry period."),
  },
} as const;

export function parseKademliaOptions(o: Record<string, unknown>): KademliaOptions {
  const ms = (key: string) => o[key] as number;
  return {
    k: o.k as number,
    alpha: o.alpha as number,
    refreshMs: ms("refresh"),
    ...parseTimeoutOptions(o),
    unsampledTimeout: o.unsampledTimeout as "max" | "seeded",
    failedMemoryMs: ms("failedMemory"),
    livenessCheckMs: ms("livenessCheck"),
    joinRetryMs: ms("joinRetry"),
  };
}
