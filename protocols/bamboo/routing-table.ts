import { type Address, type Contact, ID_BITS } from "../../sim/runtime/index.js";
import { digitAt, type Peer, sharedDigits } from "../common/identifiers.js";

/**
 * The Pastry/Plaxton prefix routing table: row `level` holds nodes sharing our first `level` digits, column
 * `digit` the value of their next digit; one entry per cell. An entry is only added with a measured RTT, and
 * with proximity neighbour selection an occupied cell changes hands only to a node under `pnsFactor` × the
 * incumbent's RTT.
 */
export class RoutingTable {
  readonly levels: number;
  readonly base: number;
  // Cell `level × base + digit` of three parallel arrays, grown a row at a time as rows are first used (a node
  // fills about log_base N of them). Each contact heard of is tested against its cell's address and RTT, which
  // sit in typed arrays, without touching the incumbent's object.
  private peers: (Peer | null)[] = [];
  /** Address of each cell's node, −1 for an empty cell. */
  private addresses = new Int32Array(0);
  /** RTT measured when the cell's node was chosen (ms). */
  private rtts = new Float64Array(0);
  private count = 0;
  /** Counts changes of membership, so that the list of entries is made again only after one. */
  private version = 0;
  private cachedEntries: readonly Peer[] = [];
  private entriesVersion = -1;
  /** The cell of each node in the table, so membership and removal need no scan. */
  private readonly cellOfAddress = new Map<Address, number>();

  constructor(
    private readonly self: Peer,
    readonly bitsPerDigit: number,
    private readonly pns: boolean,
    private readonly pnsFactor = 0.9,
  ) {
    this.levels = ID_BITS / bitsPerDigit;
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

  /** The address in a cell, −1 when it is empty or its row not yet made. */
  private addressAt(cell: number): number {
    return cell < this.addresses.length ? this.addresses[cell] : -1;
  }

  private ensureRow(cell: number): void {
    if (cell < this.addresses.length) return;
    const cells = ((cell >> this.bitsPerDigit) + 1) * this.base;
    const addresses = new Int32Array(cells).fill(-1);
    addresses.set(this.addresses);
    const rtts = new Float64Array(cells);
    rtts.set(this.rtts);
    this.addresses = addresses;
    this.rtts = rtts;
    while (this.peers.length < cells) this.peers.push(null);
  }

  /**
   * Would a node be taken, given the RTT `rttOf` knows for it? (When `rttOf` knows none: would its cell accept
   * anyone new at all?) The RTT is asked for only when an occupied cell could change hands.
   */
  wouldAccept(p: Contact, rttOf: (address: Address) => number | undefined): boolean {
    const cell = this.cellOf(p.id);
    if (cell < 0) return false;
    const current = this.addressAt(cell);
    if (current < 0) return true;
    if (current === p.address || !this.pns) return false;
    const rtt = rttOf(p.address);
    return rtt === undefined || rtt < this.pnsFactor * this.rtts[cell];
  }

  /** Offers a node with a measured RTT; returns true when the table changed. */
  consider(p: Peer, rtt: number): boolean {
    const cell = this.cellOf(p.id);
    if (cell < 0) return false;
    const current = this.addressAt(cell);
    if (current === p.address) {
      this.rtts[cell] = rtt;
      return false;
    }
    if (current >= 0 && !(this.pns && rtt < this.pnsFactor * this.rtts[cell])) return false;
    if (current >= 0) this.cellOfAddress.delete(current);
    else this.count++;
    this.version++;
    this.ensureRow(cell);
    this.peers[cell] = p;
    this.addresses[cell] = p.address;
    this.rtts[cell] = rtt;
    this.cellOfAddress.set(p.address, cell);
    return true;
  }

  /** The node for the next digit of `key`, if any. */
  lookup(key: string): Peer | undefined {
    const cell = this.cellOf(key);
    return cell < 0 || this.addressAt(cell) < 0 ? undefined : (this.peers[cell] as Peer);
  }

  remove(address: Address): boolean {
    const cell = this.cellOfAddress.get(address);
    if (cell === undefined) return false;
    this.peers[cell] = null;
    this.addresses[cell] = -1;
    this.count--;
    this.version++;
    this.cellOfAddress.delete(address);
    return true;
  }

  has(address: Address): boolean {
    return this.cellOfAddress.has(address);
  }

  /** Every node in the table, row by row and digit by digit; made again only after a change (nodes ask every ping period). */
  entries(): readonly Peer[] {
    if (this.entriesVersion !== this.version) {
      this.cachedEntries = this.collect(0, this.peers.length);
      this.entriesVersion = this.version;
    }
    return this.cachedEntries;
  }

  /** The nodes of one row. */
  row(level: number): Peer[] {
    return this.collect(level * this.base, Math.min((level + 1) * this.base, this.peers.length));
  }

  private collect(from: number, to: number): Peer[] {
    const out: Peer[] = [];
    for (let cell = from; cell < to; cell++) {
      const p = this.peers[cell];
      if (p !== null) out.push(p);
    }
    return out;
  }

  /** Highest row with any entry, or -1. */
  highestLevel(): number {
    for (let cell = this.addresses.length - 1; cell >= 0; cell--) if (this.addresses[cell] >= 0) return cell >> this.bitsPerDigit;
    return -1;
  }
}
