import type { Id } from "../sim/runtime/index.js";

/**
 * A ring interval of keys (lo, hi], clockwise from `lo` (excluded) to `hi` (included), as a replica's share of the
 * key space is written: a node is responsible for the keys after its predecessor up to itself. `lo === hi` is the
 * whole ring. Identifiers are strings of equal length, so string order is numeric order and no BigInt is needed.
 */
export interface KeyRange {
  readonly lo: Id;
  readonly hi: Id;
}

/** Does `key` lie in the ring interval (lo, hi]? */
export function inKeyRange(key: Id, range: KeyRange): boolean {
  const { lo, hi } = range;
  if (lo < hi) return key > lo && key <= hi;
  if (lo > hi) return key > lo || key <= hi;
  return true;
}
