import { MinHeap } from "./min-heap.js";

interface ClientLedger {
  bytes: number;
  /** Integral of this client's stored bytes over time, up to `sinceS`. */
  spaceTimeByteS: number;
  sinceS: number;
}

interface Expiry {
  readonly client: string;
  readonly bytes: number;
  readonly atS: number;
  readonly seq: number;
}

/**
 * The puts a node holds until their TTL runs out, summed per client: bytes stored now, and space-time
 * (byte·seconds) held so far. Expiry is lazy — `advance` drops what expired by then, in expiry order, so the
 * space-time integral is exact whatever the caller's step.
 */
export class StoredPuts {
  private readonly ledgers = new Map<string, ClientLedger>();
  private readonly expiries = new MinHeap<Expiry>((a, b) => a.atS < b.atS || (a.atS === b.atS && a.seq < b.seq));
  private seq = 0;
  private total = 0;

  /** Store `bytes` for `client` from `nowS` until `nowS + ttlS`. Call `advance(nowS)` first. */
  add(client: string, bytes: number, nowS: number, ttlS: number): void {
    const ledger = this.ledger(client, nowS);
    ledger.bytes += bytes;
    this.total += bytes;
    this.expiries.push({ client, bytes, atS: nowS + ttlS, seq: this.seq++ });
  }

  /** Drop every put whose expiry is at or before `nowS`; `onEmpty` hears of each client whose last put expired. */
  advance(nowS: number, onEmpty?: (client: string) => void): void {
    for (;;) {
      const head = this.expiries.peek();
      if (head === undefined || head.atS > nowS) break;
      this.expiries.pop();
      const ledger = this.ledger(head.client, head.atS);
      ledger.bytes -= head.bytes;
      this.total -= head.bytes;
      if (ledger.bytes === 0 && onEmpty !== undefined) onEmpty(head.client);
    }
  }

  bytes(client: string): number {
    return this.ledgers.get(client)?.bytes ?? 0;
  }

  totalBytes(): number {
    return this.total;
  }

  /** Space-time held by `client` up to `nowS` (which must not precede the last `advance`). */
  spaceTimeByteS(client: string, nowS: number): number {
    const ledger = this.ledgers.get(client);
    if (ledger === undefined) return 0;
    return ledger.spaceTimeByteS + ledger.bytes * (nowS - ledger.sinceS);
  }

  /** Clients that have ever stored here, in first-store order. */
  clients(): string[] {
    return [...this.ledgers.keys()];
  }

  /** Clients storing something now, with their bytes, in first-store order. */
  holders(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [client, ledger] of this.ledgers) if (ledger.bytes > 0) out.push([client, ledger.bytes]);
    return out;
  }

  /** The client's ledger with its integral brought up to `atS`. */
  private ledger(client: string, atS: number): ClientLedger {
    let ledger = this.ledgers.get(client);
    if (ledger === undefined) {
      ledger = { bytes: 0, spaceTimeByteS: 0, sinceS: atS };
      this.ledgers.set(client, ledger);
    } else {
      ledger.spaceTimeByteS += ledger.bytes * (atS - ledger.sinceS);
      ledger.sinceS = atS;
    }
    return ledger;
  }
}
