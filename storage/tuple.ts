import type { Id } from "../sim/runtime/index.js";
import { mix52 } from "./merkle-hash.js";

/**
 * A stored tuple, as Bamboo's storage manager keeps one per (key, secret hash, value hash): a put, or a remove's
 * tombstone for that triple (which deletes the put and keeps it from coming back until the tombstone expires).
 * Values are modelled by hash and size only.
 */
export interface Tuple {
  readonly key: Id;
  readonly valueHash: number;
  /** Hash of the secret a remove must show (`hashSecret`); 0 for a put without one, which cannot be removed. */
  readonly secretHash: number;
  /** Bytes of the value (of a tombstone: what its message declared, normally 0). */
  readonly size: number;
  /** When the put (or remove) was made at its root, in microseconds: what Bamboo's Merkle tree is built over. */
  readonly putTimeUs: number;
  /** putTimeUs + TTL; the tuple is gone at this instant. */
  readonly expiresUs: number;
  readonly remove: boolean;
}

// Sizes from Bamboo's StorageManager (its stored tuples and its anti-entropy messages).
/** Bytes a stored tuple costs beyond its value: key, time, TTL, hashes and the database's bookkeeping (V + 77). */
export const STORED_TUPLE_OVERHEAD_BYTES = 77;
/** A tuple's identity on the wire (key, put time, value hash) in anti-entropy's key listings. */
export const KEY_WIRE_BYTES = 57;
/** The same with the secret hash, for a tuple that carries one. */
export const KEY_WITH_SECRET_WIRE_BYTES = 77;

/** Bytes of a tuple's identity on the wire. */
export function keyWireBytes(secretHash: number): number {
  return secretHash === 0 ? KEY_WIRE_BYTES : KEY_WITH_SECRET_WIRE_BYTES;
}

/** Is the tuple past its TTL at `nowUs`? */
export function isExpired(t: Tuple, nowUs: number): boolean {
  return t.expiresUs <= nowUs;
}

/** The value of one hexadecimal digit's character code (identifiers are lowercase). */
function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : c - 87;
}

/**
 * A tuple's identity as the Merkle trees hash it: a 52-bit mix of everything that tells two tuples apart (two
 * puts of one value at different times are different tuples until the merge keeps one). The expiry is in it too:
 * the merge keeps the later of two expiries, and replicas that disagree only on it must still see a difference,
 * or one of them would drop the value early. Reads the key's digits eight at a time, so nothing is allocated.
 */
export function fingerprint(key: Id, valueHash: number, secretHash: number, remove: boolean, putTimeUs: number, expiresUs: number): number {
  let h = remove ? 0x7a3 : 0x1c5;
  for (let i = 0; i < key.length; i += 8) {
    let word = 0;
    const end = Math.min(i + 8, key.length);
    for (let j = i; j < end; j++) word = word * 16 + hexDigit(key.charCodeAt(j));
    h = mix52(h, word);
  }
  h = mix52(h, valueHash);
  h = mix52(h, secretHash);
  h = mix52(h, putTimeUs);
  return mix52(h, expiresUs);
}

export function tupleFingerprint(t: Tuple): number {
  return fingerprint(t.key, t.valueHash, t.secretHash, t.remove, t.putTimeUs, t.expiresUs);
}
