/** The timeout strategies a protocol's `timeouts` option names; see timeouts.ts. */
export type TimeoutKind = "fixed" | "tcp" | "vivaldi" | "oracle";

/** The timeout options as a node reads them: durations in milliseconds. */
export interface TimeoutOptions {
  timeouts: TimeoutKind;
  fixedTimeoutMs: number;
  maxTimeoutMs: number;
  // Absent where the protocol does not offer them: the strategies' own defaults, the same as the schema's, apply.
  vivaldiDimensions?: number;
  vivaldiErrorMultiplier?: number;
  vivaldiConstantMs?: number;
  oracleFactor?: number;
}

const duration = (fallback: string, description: string) => ({ type: "string", format: "duration", default: fallback, description }) as const;

/** The strategy and its two timeouts: schema properties for every protocol with timeouts, in this order. */
export const timeoutStrategyOptions = {
  timeouts: {
    enum: ["fixed", "tcp", "vivaldi", "oracle"],
    default: "tcp",
    description: "Per-hop and probe timeouts: a constant, TCP-style per-neighbour RTO, from Vivaldi virtual coordinates, or the simulator's true RTT × oracleFactor (a baseline no deployed system has).",
  },
  fixedTimeout: duration("5s", "Timeout of the fixed strategy."),
  maxTimeout: duration("5s", "TCP-style and Vivaldi: initial and maximum timeout."),
} as const;

/** The Vivaldi and oracle strategies' constants: schema properties that follow the strategy's, in this order. */
export const coordinateTimeoutOptions = {
  vivaldiDimensions: { type: "integer", minimum: 1, maximum: 8, default: 2, description: "Vivaldi: dimensions of the coordinate plane, plus a height." },
  vivaldiErrorMultiplier: { type: "number", minimum: 0, default: 6, description: "Vivaldi: timeout = predicted RTT + this × average prediction error + vivaldiConstant." },
  vivaldiConstant: duration("15ms", "Vivaldi: constant added to every timeout."),
  oracleFactor: { type: "number", exclusiveMinimum: 1, default: 2, description: "Oracle: timeout = true RTT × this." },
} as const;

/** Every timeout option, to spread into a protocol's schema properties. */
export const timeoutOptionsSchema = { ...timeoutStrategyOptions, ...coordinateTimeoutOptions } as const;

/**
 * The timeout options from a protocol's checked options (durations already in milliseconds). Whichever of the
 * coordinate options the protocol does not offer come out undefined.
 */
export function parseTimeoutOptions(o: Record<string, unknown>): TimeoutOptions {
  return {
    timeouts: o.timeouts as TimeoutKind,
    fixedTimeoutMs: o.fixedTimeout as number,
    maxTimeoutMs: o.maxTimeout as number,
    vivaldiDimensions: o.vivaldiDimensions as number | undefined,
    vivaldiErrorMultiplier: o.vivaldiErrorMultiplier as number | undefined,
    vivaldiConstantMs: o.vivaldiConstant as number | undefined,
    oracleFactor: o.oracleFactor as number | undefined,
  };
}
