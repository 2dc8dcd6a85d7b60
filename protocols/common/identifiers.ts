import { type Contact, type Id, ID_BITS, idToBigInt } from "../../sim/runtime/index.js";

/** Size of the identifier ring. */
export const RING = 1n << BigInt(ID_BITS);
const HALF = RING >> 1n;

/**
 * A point on the ring: an identifier with its first 52 bits (13 hex digits) as an exact integer in a double.
 * Distances between these tops are plain arithmetic, and they settle almost every comparison of 160-bit
 * distances: two tops' distance is within one unit (2^108) of the exact one, so when two estimates differ by two
 * units or more their order is certain, and only otherwise is the comparison done again in BigInt. Results are
 * exactly those of 160-bit arithmetic, without a BigInt per comparison on the routing path.
 */
export interface RingPoint {
  readonly id: Id;
  readonly top: number;
}

/** A contact with its identifier as a ring point and, made when first asked for, as a number. */
export interface Peer extends Contact, RingPoint {
  readonly value: bigint;
}

class PeerPoint implements Peer {
  readonly top: number;
  private number: bigint | undefined = undefined;
  constructor(
    readonly address: number,
    readonly id: Id,
  ) {
    this.top = topOf(id);
  }
  get value(): bigint {
    return (this.number ??= idToBigInt(this.id));
  }
}

const TOP_HEX_DIGITS = 13;
const TOP_RING = 2 ** (4 * TOP_HEX_DIGITS);

/** The value of the hex digit with character code `c` ('0'–'9', 'a'–'f': identifiers are lower case). */
const hexValue = (c: number): number => (c <= 57 ? c - 48 : c - 87);

export function topOf(id: Id): number {
  let top = 0;
  for (let i = 0; i < TOP_HEX_DIGITS; i++) top = top * 16 + hexValue(id.charCodeAt(i));
  return top;
}

export function ringPoint(id: Id): RingPoint {
  return { id, top: topOf(id) };
}

/**
 * The peer a contact names. Peers are immutable, so a node sends its own and its tables' peers as contacts, and
 * a peer received is kept as it is: every table naming a node then holds that node's one object rather than a copy
 * per table, which keeps the working set of a large run small enough for the cache (Chord at 4,096 nodes: a third
 * less time). Over real sockets a contact arrives as plain data and becomes a peer of its own here.
 */
export function peerOf(contact: Contact): Peer {
  return contact instanceof PeerPoint ? contact : new PeerPoint(contact.address, contact.id);
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

/** How far `to` lies clockwise from `from` in their first 52 bits: exact to within one unit of 2^108. */
export function topClockwise(from: number, to: number): number {
  const d = to - from;
  return d < 0 ? d + TOP_RING : d;
}

function topGap(a: number, b: number): number {
  const d = topClockwise(a, b);
  return d > TOP_RING / 2 ? TOP_RING - d : d;
}

/**
 * Identifier `a` is smaller than `b` (on the line, not the ring). Their first 52 bits decide unless equal; then their
 * text does (fixed-length hexadecimal sorts as the numbers do), so the common case compares two numbers rather
 * than two strings.
 */
export function below(a: RingPoint, b: RingPoint): boolean {
  return a.top !== b.top ? a.top < b.top : a.id < b.id;
}

/** The same identifier: the first 52 bits tell nearly always, without reading the two texts. */
export function sameId(a: RingPoint, b: RingPoint): boolean {
  return a.top === b.top && a.id === b.id;
}

/** True when `a` is closer to `key` than `b` is; ties go to the node clockwise from the key (as the oracle does). */
export function closerTo(key: RingPoint, a: RingPoint, b: RingPoint): boolean {
  const difference = topGap(a.top, key.top) - topGap(b.top, key.top);
  if (difference >= 2 || difference <= -2) return difference < 0;
  if (a.id === b.id) return false;
  const k = idToBigInt(key.id);
  const x = idToBigInt(a.id);
  const y = idToBigInt(b.id);
  const dx = ringGap(x, k);
  const dy = ringGap(y, k);
  if (dx !== dy) return dx < dy;
  return clockwise(k, x) < clockwise(k, y);
}

/** True when `a` lies strictly nearer than `b` going clockwise from `from`. */
export function clockwiseBefore(from: RingPoint, a: RingPoint, b: RingPoint): boolean {
  const ea = topClockwise(from.top, a.top);
  const eb = topClockwise(from.top, b.top);
  // An estimate of 0 may be a tiny distance or almost the whole ring: only estimates ≥ 1 bound the exact one.
  if (ea >= 1 && eb >= 1 && (ea - eb >= 2 || eb - ea >= 2)) return ea < eb;
  if (a.id === b.id) return false;
  const f = idToBigInt(from.id);
  return clockwise(f, idToBigInt(a.id)) < clockwise(f, idToBigInt(b.id));
}

/** Digit `level` (0 = most significant) of an identifier in base 2^bitsPerDigit (bitsPerDigit 1 or 4). */
export function digitAt(id: Id, level: number, bitsPerDigit: number): number {
  if (bitsPerDigit === 4) return hexValue(id.charCodeAt(level));
  const nibble = hexValue(id.charCodeAt(level >> 2));
  return (nibble >> (3 - (level & 3))) & 1;
}

/** Number of leading digits two identifiers share. */
export function sharedDigits(a: Id, b: Id, bitsPerDigit: number): number {
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (bitsPerDigit === 4) return i;
  if (i === a.length) return 4 * i;
  const x = hexValue(a.charCodeAt(i)) ^ hexValue(b.charCodeAt(i));
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
