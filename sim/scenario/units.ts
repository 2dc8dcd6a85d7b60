/**
 * Quantities as scenario files write them: durations ("90s", "23m", "1.4h"), bit rates ("1Mbps") and byte
 * sizes ("64KB"). Internally time is milliseconds, rates are bits/s and sizes are bytes.
 */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const RATE_UNITS: Record<string, number> = { bps: 1, kbps: 1e3, mbps: 1e6, gbps: 1e9 };
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024, gb: 1024 * 1024 * 1024 };

export const DURATION_PATTERN = "^[0-9]+(\\.[0-9]+)?(ms|s|m|min|h|d)$";

function parseWithUnits(text: string, units: Record<string, number>, what: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]+)$/.exec(text.trim());
  const factor = match ? units[match[2].toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new Error(`"${text}" is not a ${what}; expected a number and one of ${Object.keys(units).join(", ")}`);
  }
  return Number(match[1]) * factor;
}

/** "90s" → 90000 (ms). */
export function parseDuration(text: string): number {
  return parseWithUnits(text, DURATION_UNITS, "duration");
}

/** "1Mbps" → 1e6 (bits/s, decimal prefixes as network rates are quoted). */
export function parseRate(text: string): number {
  return parseWithUnits(text, RATE_UNITS, "bit rate");
}

/** "64KB" → 65536 (bytes, binary prefixes as buffers are sized). */
export function parseSize(text: string): number {
  return parseWithUnits(text, SIZE_UNITS, "byte size");
}

/** 5400000 → "1.5h": the shortest exact rendering, for reports and directory names. */
export function formatDuration(ms: number): string {
  for (const [unit, factor] of [["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) {
    if (ms >= factor && Number.isInteger((ms / factor) * 1000)) return `${+(ms / factor).toFixed(3)}${unit}`;
  }
  return `${ms}ms`;
}
