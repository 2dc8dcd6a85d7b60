import { parseTimeoutOptions, type TimeoutOptions, timeoutStrategyOptions } from "../common/timeout-options.js";

export interface KademliaOptions extends TimeoutOptions {
  k: number;
  alpha: number;
  refreshMs: number;
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
    joinRetryMs: ms("joinRetry"),
  };
}
