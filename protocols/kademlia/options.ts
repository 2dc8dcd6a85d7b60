
export interface KademliaOptions {
  k: number;
  alpha: number;
  refreshMs: number;
  timeouts: "fixed" | "tcp" | "vivaldi" | "oracle";
  fixedTimeoutMs: number;
  maxTimeoutMs: number;
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
    timeouts: { enum: ["fixed", "tcp", "vivaldi", "oracle"], default: "tcp", description: "Timeout strategy, shared with Bamboo's." },
    fixedTimeout: duration("5s", "Timeout of the fixed strategy."),
    maxTimeout: duration("5s", "Initial and maximum timeout of the adaptive strategies."),
    joinRetry: duration("10s", "Join retry period."),
  },
} as const;

export function parseKademliaOptions(o: Record<string, unknown>): KademliaOptions {
  const ms = (key: string) => o[key] as number;
  return {
    k: o.k as number,
    alpha: o.alpha as number,
    refreshMs: ms("refresh"),
    timeouts: o.timeouts as KademliaOptions["timeouts"],
    fixedTimeoutMs: ms("fixedTimeout"),
    maxTimeoutMs: ms("maxTimeout"),
    joinRetryMs: ms("joinRetry"),
  };
}
