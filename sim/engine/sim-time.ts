/**
 * Simulated time is a whole number of microseconds. A delay is rounded once, where it is drawn or given (a latency,
 * a session length, a timer), and every time after that is a sum of whole numbers, exact in a double up to 2^53
 * µs (285 years). So the order of events cannot depend on how a sum was grouped (departure + one-way delay +
 * access delays), as it could with fractional milliseconds. Scenarios, protocols and results speak milliseconds.
 */
export const US_PER_MS = 1000;

/** A delay or time given in milliseconds, as the scheduler counts it: rounded to the nearest microsecond. */
export function usFromMs(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

/** A scheduler time in milliseconds, for protocols, metrics and messages. */
export function msFromUs(us: number): number {
  return us / US_PER_MS;
}

/**
 * A timer's delay: the nearest whole µs, but never 0 for a positive delay. A protocol that waits "until its
 * deadline" by setting a timer for `deadline − now()` would otherwise be woken again and again in the same
 * microsecond, its remaining fraction of a µs rounding to nothing each time.
 */
export function timerDelayUs(delayMs: number): number {
  const us = Math.round(delayMs * US_PER_MS);
  return us === 0 && delayMs > 0 ? 1 : us;
}
