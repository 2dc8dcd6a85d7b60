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
  /** Row by row, a cell per digit; rows are made as they are first used (a node fills about log_base N of them). */
  private readonly rows: (RoutingEntry | null)[][] = [];
  private count = 0;
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
    return this.count;
  }

  /** A cell as one number, level × base + digit; -1 for our own identifier. */
  private cellOf(id: string): number {
    const level = sharedDigits(this.self.id, id, this.bitsPerDigit);
    if (level >= this.levels) return -1;
    return level * this.base + digitAt(id, level, this.bitsPerDigit);
  }

  private at(cell: number): RoutingEntry | null {
    const row = this.rows[cell >> this.bitsPerDigit];
    return row === undefined ? null : row[cell & (this.base - 1)];
  }

  private put(cell: number, entry: RoutingEntry | null): void {
    const level = cell >> this.bitsPerDigit;
    while (this.rows.length <= level) this.rows.push(new Array<RoutingEntry | null>(this.base).fill(null));
    this.rows[level][cell & (this.base - 1)] = entry;
  }

  /**
   * Would a node be taken, given the RTT `rttOf` knows for it? (When `rttOf` knows none: would its cell accept
   * anyone new at all?) The RTT is asked for only when an occupied cell could change hands.
   */
  wouldAccept(p: Contact, rttOf: (address: Address) => number | undefined): boolean {
    const cell = this.cellOf(p.id);
    if (cell < 0) return false;
    const current = this.at(cell);
    if (current === null) return true;
    if (current.peer.address === p.address || !this.pns) return false;
    const rtt = rttOf(p.address);
    return rtt === undefined || rtt < this.pnsFactor * current.rtt;
  }

  /** Offers a node with a measured RTT; returns true when the table changed. */
  consider(p: Peer, rtt: number): boolean {
    const cell = this.cellOf(p.id);
    if (cell < 0) return false;
    const current = this.at(cell);
    if (current !== null && current.peer.address === p.address) {
      current.rtt = rtt;
      return false;
    }
    if (current !== null && !(this.pns && rtt < this.pnsFactor * current.rtt)) return false;
    if (current !== null) this.cellOfAddress.delete(current.peer.address);
    else this.count++;
    this.put(cell, { peer: p, rtt });
    this.cellOfAddress.set(p.address, cell);
    return true;
  }

  /** The entry for the next digit of `key`, if any. */
  lookup(key: string): RoutingEntry | undefined {
    const cell = this.cellOf(key);
    return cell < 0 ? undefined : (this.at(cell) ?? undefined);
  }

  remove(address: Address): boolean {
    const cell = this.cellOfAddress.get(address);
    if (cell === undefined) return false;
    this.put(cell, null);
    this.count--;
    this.cellOfAddress.delete(address);
    return true;
  }

  has(address: Address): boolean {
    return this.cellOfAddress.has(address);
  }

  /** Every entry, row by row and digit by digit. */
  entries(): RoutingEntry[] {
    const out: RoutingEntry[] = [];
    for (let level = 0; level < this.rows.length; level++) this.collect(level, out);
    return out;
  }

  /** Entries of one row. */
  row(level: number): RoutingEntry[] {
    const out: RoutingEntry[] = [];
    if (level < this.rows.length) this.collect(level, out);
    return out;
  }

  private collect(level: number, out: RoutingEntry[]): void {
    const row = this.rows[level];
    for (let d = 0; d < row.length; d++) {
      const e = row[d];
      if (e !== null) out.push(e);
    }
  }

  /** Highest row with any entry, or -1. */
  highestLevel(): number {
    for (let level = this.rows.length - 1; level >= 0; level--) if (this.rows[level].some((e) => e !== null)) return level;
    return -1;
  }
}
