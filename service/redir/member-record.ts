import { idOfAddress, type Id } from "../../sim/runtime/ids.js";
import type { Address } from "../../sim/runtime/node-runtime.js";
import type { ValueRef } from "../../sim/runtime/storage-layer.js";

/**
 * What a member registers in a tree node: its address, and its id (Bamboo's RedirClient stores 6 bytes, IPv4 and
 * port, and takes SHA-1 of them as the id).
 */
export interface MemberRecord {
  readonly address: Address;
  readonly id: Id;
}

/** Bytes of one registered value, as Bamboo's client puts it (IPv4 address and port). */
export const MEMBER_VALUE_BYTES = 6;

/** A member at `address`, with the id SHA-1 of its address as ReDiR derives it from the value. */
export function memberAt(address: Address): MemberRecord {
  return { address, id: idOfAddress(`redir-member:${address}`) };
}

/**
 * The simulation's stand-in for the bytes a real get returns. The storage layer models a value by its hash and
 * size only, so a get hands back value hashes; ReDiR reads the member behind each hash here. One table serves
 * every client of a run, as the bytes would be the same wherever they are read.
 *
 * A value's hash must be a function of its content, so that a member's refresh re-puts the same value and
 * extends it instead of adding a copy; it is taken from the member's id, and on the rare 32-bit collision
 * between two different members the later one probes to the next free hash (still stable for that member).
 */
export class MemberValues {
  private readonly byHash = new Map<number, MemberRecord>();
  private readonly byId = new Map<Id, number>();

  valueOf(member: MemberRecord): ValueRef {
    let hash = this.byId.get(member.id);
    if (hash === undefined) {
      hash = parseInt(member.id.slice(0, 8), 16) >>> 0;
      while (this.byHash.has(hash)) hash = (hash + 1) >>> 0;
      this.byHash.set(hash, member);
      this.byId.set(member.id, hash);
    }
    return { valueHash: hash, size: MEMBER_VALUE_BYTES, secretHash: 0, client: -1 };
  }

  /** The member behind a value hash; undefined for a value no ReDiR member put (another application's). */
  memberOf(valueHash: number): MemberRecord | undefined {
    return this.byHash.get(valueHash);
  }
}
