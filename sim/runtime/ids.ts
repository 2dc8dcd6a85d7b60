import { createHash } from "node:crypto";

/**
 * A 160-bit identifier as 40 lowercase hex digits. Strings of equal length compare in numeric order, hash well
 * as Map keys and print as they are in CSV files; arithmetic (ring distance) is done on BigInt only where
 * needed, off the per-message path.
 */
export type Id = string;

export const ID_BITS = 160;
export const ID_HEX_DIGITS = ID_BITS / 4;
const RING = 1n << 160n;

/** A node's identifier: SHA-1 of its network address, as Bamboo and Pastry derive it. */
export function idOfAddress(address: string): Id {
  return createHash("sha1").update(address).digest("hex");
}

export function idToBigInt(id: Id): bigint {
  return BigInt("0x" + id);
}

/** Distance the shorter way round the ring. */
export function ringDistance(a: Id, b: Id): bigint {
  const d = idToBigInt(a) - idToBigInt(b);
  const forward = d < 0n ? -d : d;
  return forward > RING - forward ? RING - forward : forward;
}

/** Clockwise distance from `from` to `to` (how far `to` lies after `from`). */
export function clockwiseDistance(from: Id, to: Id): bigint {
  const d = idToBigInt(to) - idToBigInt(from);
  return d < 0n ? d + RING : d;
}
