import type { Address, Contact } from "../../sim/runtime.js";
import { digitAt, type Peer, sharedDigits } from "../common/identifiers.js";

export interface RoutingEntry {
  peer: Peer;
  /** Round-trip time measured when the entry was chosen (ms). */
  rtt: number;
}

/**
 * The Pastry/Plaxton prefix routing table: row `level` holds nodes sharing our first `level` digits, column
 * `digit` the value of their next digit; one entry per cell. An entry is only added with a measured RTT, and
 * with proximity neighbour selection an occupied cell changes hands only to a node under `pnsFactor` × the
 * incumbent's RTT.
 */
export class RoutingTable {
  readonly levels: number;
  readonly base: number;
  private readonly cells = new Map<number, RoutingEntry>();
  /** The cell of each node in the table, so membership and removal need no scan. */
  private readonly cellOfAddress = new Map<Address, number>();

  constructor(
    private readonly self: Peer,
    readonly bitsPerDigit: number,
    private readonly pns: boolean,
    private readonly pnsFactor = 0.9,
  ) {
    this.levels = 160 / bitsPerDigit;
    this.base = 1 << bitsPerDigit;
  }

  get size(): number {
    return this.cells.size;
  }

  private cellOf(id: string): number {
    const level = sharedDigits(this.self.id, id, this.bitsPerDigit);
    if (level >= this.levels) return -1;
    return level * this.base + digitAt(id, level, this.bitsPerDigit);
  }

  /**
   * Would a node be taken, given the RTT `rttOf` knows for it? (When `rttOf` knows none: would its cell accept
   * anyone new at all?) The RTT is asked for only when an occupied cell could change hands.
   */
  wouldAccept(p: Contact, rttOf: (address: Address) => number | undefined): boolean {
    const cell = this.cellOf(p.id);
    if (cell < 0) return false;
    const current = this.cells.get(cell);
    if (current === undefined) return true;
    if (current.peer.address === p.address || !this.pns) return false;
    const rtt = rttOf(p.address);
    return rtt === undefined || rtt < this.pnsFactor * current.rtt;
  }

  /** Offers a node with a measured RTT; returns true when the table changed. */
  consider(p: Peer, rtt: number): boolean {
    const cell = this.cellOf(p.id);
    if (cell < 0) return false;
    const current = this.cells.get(cell);
    if (current !== undefined && current.peer.address === p.address) {
      current.rtt = rtt;
      return false;
    }
    if (current !== undefined && !(this.pns && rtt < this.pnsFactor * current.rtt)) return false;
    if (current !== undefined) this.cellOfAddress.delete(current.peer.address);
    this.cells.set(cell, { peer: p, rtt });
    this.cellOfAddress.set(p.address, cell);
    return true;
  }

  /** The entry for the next digit of `key`, if any. */
  lookup(key: string): RoutingEntry | undefined {
    const cell = this.cellOf(key);
    return cell < 0 ? undefined : this.cells.get(cell);
  }

  remove(address: Address): boolean {
    const cell = this.cellOfAddress.get(address);
    if (cell === undefined) return false;
    this.cells.delete(cell);
    this.cellOfAddress.delete(address);
    return true;
  }

  has(address: Address): boolean {
    return this.cellOfAddress.has(address);
  }

  entries(): RoutingEntry[] {
    return [...this.cells.values()];
  }

  /** Entries of one row. */
  row(level: number): RoutingEntry[] {
    const out: RoutingEntry[] = [];
    for (let d = 0; d < this.base; d++) {
      const e = this.cells.get(level * this.base + d);
      if (e !== undefined) out.push(e);
    }
    return out;
  }

  /** Highest row with any entry, or -1. */
  highestLevel(): number {
    let high = -1;
    for (const cell of this.cells.keys()) high = Math.max(high, Math.floor(cell / this.base));
    return high;
  }
}
