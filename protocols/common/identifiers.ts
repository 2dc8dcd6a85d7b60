import { type Contact, type Id, ID_BITS, idToBigInt } from "../../sim/runtime.js";

/** Size of the identifier ring. */
export const RING = 1n << BigInt(ID_BITS);
const HALF = RING >> 1n;

/** A contact with its identifier as a number too, computed once when the node is first learnt. */
export interface Peer extends Contact {
  readonly value: bigint;
}

export function peerOf(contact: Contact): Peer {
  return { address: contact.address, id: contact.id, value: idToBigInt(contact.id) };
}

/** How far `to` lies clockwise from `from`. */
export function clockwise(from: bigint, to: bigint): bigint {
  const d = to - from;
  return d < 0n ? d + RING : d;
}

/** Distance the shorter way round. */
export function ringGap(a: bigint, b: bigint): bigint {
  const d = clockwise(a, b);
  return d > HALF ? RING - d : d;
}

/** True when `a` is closer to `key` than `b` is; ties go to the node clockwise from the key (as the oracle does). */
export function closerTo(key: bigint, a: bigint, b: bigint): boolean {
  const da = ringGap(a, key);
  const db = ringGap(b, key);
  if (da !== db) return da < db;
  return clockwise(key, a) < clockwise(key, b);
}

/** Digit `level` (0 = most significant) of an identifier in base 2^bitsPerDigit (bitsPerDigit 1 or 4). */
export function digitAt(id: Id, level: number, bitsPerDigit: number): number {
  if (bitsPerDigit === 4) return parseInt(id[level], 16);
  const nibble = parseInt(id[level >> 2], 16);
  return (nibble >> (3 - (level & 3))) & 1;
}

/** Number of leading digits two identifiers share. */
export function sharedDigits(a: Id, b: Id, bitsPerDigit: number): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (bitsPerDigit === 4 || i === a.length) return i;
  const x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
  return i * 4 + (Math.clz32(x) - 28);
}

/** An identifier sharing `id`'s first `level` digits, then `digit`, then the given random hex tail. */
export function withPrefix(id: Id, level: number, digit: number, bitsPerDigit: number, randomHex: string): Id {
  if (bitsPerDigit === 4) return (id.slice(0, level) + digit.toString(16) + randomHex).slice(0, id.length);
  const bits = BigInt(ID_BITS);
  const keep = BigInt(level);
  const prefix = (idToBigInt(id) >> (bits - keep)) << (bits - keep);
  const chosen = BigInt(digit) << (bits - keep - 1n);
  const tailMask = (1n << (bits - keep - 1n)) - 1n;
  const value = prefix | chosen | (idToBigInt(randomHex) & tailMask);
  return value.toString(16).padStart(id.length, "0");
}
