import type { Address } from "../../sim/runtime.js";

/**
 * A few numbers per peer (an RTT estimate and its kin), kept in one typed array with a map from peer to row:
 * no object and no boxed number per peer, for state every node keeps about everyone it has measured.
 */
export class PeerNumbers {
  private readonly rows = new Map<Address, number>();
  private data: Float64Array;
  private readonly freeRows: number[] = [];
  private nextRow = 0;

  constructor(private readonly width: number) {
    this.data = new Float64Array(width * 8);
  }

  /** Offset of the peer's row in `values`, or −1. */
  find(peer: Address): number {
    const row = this.rows.get(peer);
    return row === undefined ? -1 : row * this.width;
  }

  /** A row for a peer not yet held; returns its offset. `values` may be a new array afterwards. */
  insert(peer: Address): number {
    let row = this.freeRows.pop();
    if (row === undefined) {
      row = this.nextRow++;
      if (row * this.width >= this.data.length) {
        const grown = new Float64Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
    }
    this.rows.set(peer, row);
    return row * this.width;
  }

  delete(peer: Address): void {
    const row = this.rows.get(peer);
    if (row === undefined) return;
    this.rows.delete(peer);
    this.freeRows.push(row);
  }

  get values(): Float64Array {
    return this.data;
  }
}
