/**
 * The hash arithmetic of the Merkle trees (Bamboo's over put times, DHash's over keys): 52-bit values, so that a
 * hash is an exact double and compares with `===`, where the sources use SHA-1. Two 32-bit lanes (the high one
 * kept to 20 bits) mixed with Murmur3's finaliser. A tree hash is a fold of `mix52` over fingerprints or child
 * hashes, so it depends on their order: both sides of an anti-entropy exchange walk a node in the same order.
 */

const TWO_32 = 4294967296;
const HIGH_MASK = 0xfffff;

/** The hash of an empty tree node: no tuple lies below it. A non-empty node never hashes to it. */
export const EMPTY_HASH = 0;

/** Murmur3's 32-bit finaliser: a bijection on 32 bits, so distinct inputs stay distinct. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Absorb `v` (a non-negative integer below 2^53) into the running hash `h` (below 2^52). A difference in either
 * half of `v` changes the low lane (each half passes through a multiplication by an odd constant, a bijection),
 * and the high lane mixes both again, so unequal sequences collide with probability about 2^-52.
 */
export function mix52(h: number, v: number): number {
  const hLow = h >>> 0;
  const hHigh = (h / TWO_32) >>> 0;
  const vLow = v >>> 0;
  const vHigh = (v / TWO_32) >>> 0;
  const low = fmix32((hLow + Math.imul(vLow, 0x9e3779b1)) ^ Math.imul(vHigh ^ hHigh, 0x27d4eb2f));
  const high = fmix32(hHigh ^ Math.imul(vHigh, 0x165667b1) ^ Math.imul(vLow, 0xd3a2646c) ^ low);
  return (high & HIGH_MASK) * TWO_32 + low;
}

/** Distinct starting points, so that a leaf never hashes like an interior node over the same numbers. */
export const LEAF_SEED = 0x51ed27;
export const INTERIOR_SEED = 0x2f0b1c3;

/** The last step of a node's hash: folds in the count and keeps clear of `EMPTY_HASH`. */
export function finishHash(h: number, count: number): number {
  const out = mix52(h, count);
  return out === EMPTY_HASH ? 1 : out;
}
