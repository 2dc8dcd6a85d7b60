import type { Address, Contact, KeyBasedRouting, NodeRuntime, StorageOptions } from "../sim/runtime/index.js";
import { inKeyRange, type KeyRange } from "./key-range.js";
import { MerkleExchange, TIME_TREE } from "./merkle-exchange.js";
import type { StorageMessage } from "./messages.js";
import { everyJittered, forgetFormerNeighbours } from "./rounds.js";
import type { Maintenance } from "./storage-layer-node.js";
import type { TupleStore } from "./tuple-store.js";

interface SyncedMark {
  range: KeyRange;
  atMs: number;
}

/**
 * Bamboo's anti-entropy: every `maintenanceMs` + U(0, `maintenanceMs`) a node picks a random neighbour and one
 * random key range the two hold in common (a gap between consecutive nodes it knows, whose replica set has them
 * both), and pulls what it lacks there by walking their Merkle trees over put times. A range it has pulled from a
 * neighbour is marked "synced" with it for a while, so that a get at the root may count that neighbour as having
 * answered.
 */
export class AntiEntropy implements Maintenance {
  private readonly exchange: MerkleExchange;
  private readonly synced = new Map<Address, SyncedMark[]>();
  /** How long a synced mark counts: n·log2(n) ms for n = 4·(neighbours per side)²·period, as Bamboo's DataManager. */
  private readonly syncedForMs: number;
  /** What the neighbour set decides, kept until it changes: the ranges shared with each neighbour, and answers. */
  private readonly rangesWith = new Map<Address, KeyRange[]>();
  private rangesKnown = false;
  private readonly sharing = new Map<string, boolean>();

  constructor(
    private readonly rt: NodeRuntime,
    private readonly routing: KeyBasedRouting,
    private readonly o: StorageOptions,
    store: TupleStore,
  ) {
    this.exchange = new MerkleExchange(rt, store, TIME_TREE, (range, asker) => this.shares(range, asker));
    const perSide = Math.max(1, Math.floor(o.replicas / 2));
    const n = 4 * perSide * perSide * o.maintenanceMs;
    this.syncedForMs = n * Math.log2(n);
  }

  start(): void {
    everyJittered(this.rt, this.o.maintenanceMs, () => this.round());
  }

  neighboursChanged(): void {
    this.rangesKnown = false;
    this.sharing.clear();
    // Marks for nodes no longer neighbours go: their ranges are not shared any more.
    forgetFormerNeighbours(this.synced, this.routing.neighbours());
  }

  receive(from: Address, m: StorageMessage): boolean {
    return this.exchange.receive(from, m);
  }

  syncedWith(key: string): readonly Address[] {
    const out: Address[] = [];
    const now = this.rt.now();
    for (const [address, marks] of this.synced) {
      for (const mark of marks) {
        if (now - mark.atMs < this.syncedForMs && inKeyRange(key, mark.range)) {
          out.push(address);
          break;
        }
      }
    }
    return out;
  }

  private round(): void {
    if (!this.routing.joined || this.exchange.busy) return;
    const neighbours = this.routing.neighbours();
    if (neighbours.length === 0) return;
    const partner = neighbours[this.rt.random.int(neighbours.length)];
    if (!this.rangesKnown) this.shareRanges();
    const ranges = this.rangesWith.get(partner.address) ?? NONE;
    if (ranges.length === 0) return;
    const range = ranges[this.rt.random.int(ranges.length)];
    this.exchange.begin(partner.address, range, (complete) => {
      if (complete) this.mark(partner.address, range);
    });
  }

  private mark(partner: Address, range: KeyRange): void {
    const now = this.rt.now();
    const marks = (this.synced.get(partner) ?? []).filter((m) => now - m.atMs < this.syncedForMs && !(m.range.lo === range.lo && m.range.hi === range.hi));
    marks.push({ range, atMs: now });
    this.synced.set(partner, marks);
  }

  /**
   * The gaps between consecutive nodes we know (ourselves and our neighbours, in ring order), each shared with the
   * members of its replica set, as we see it, when we are one of them. Worked out once per change of neighbours.
   */
  private shareRanges(): void {
    this.rangesWith.clear();
    this.rangesKnown = true;
    const self = this.routing.self;
    // Ring order from us: identifiers after ours, then those before it (equal-length hex sorts as the numbers do).
    const byId = (a: Contact, b: Contact) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const neighbours = this.routing.neighbours();
    const ring = [self, ...neighbours.filter((c) => c.id > self.id).sort(byId), ...neighbours.filter((c) => c.id < self.id).sort(byId)];
    for (let i = 0; i < ring.length; i++) {
      const lo = ring[i];
      const hi = ring[(i + 1) % ring.length];
      if (lo.id === hi.id) continue;
      const replicas = this.routing.replicaSet(hi.id, this.o.replicas);
      if (!replicas.some((c) => c.address === self.address)) continue;
      const range: KeyRange = { lo: lo.id, hi: hi.id };
      for (const c of replicas) {
        if (c.address === self.address) continue;
        const ranges = this.rangesWith.get(c.address);
        if (ranges === undefined) this.rangesWith.set(c.address, [range]);
        else ranges.push(range);
      }
    }
  }

  /** As the partner: we answer for a range whose replica set, as we see it, holds both the asker and us. */
  private shares(range: KeyRange, asker: Address): boolean {
    const question = `${asker} ${range.hi}`;
    let answer = this.sharing.get(question);
    if (answer === undefined) {
      const replicas = this.routing.replicaSet(range.hi, this.o.replicas);
      answer = replicas.some((c) => c.address === this.routing.self.address) && replicas.some((c) => c.address === asker);
      this.sharing.set(question, answer);
    }
    return answer;
  }
}

const NONE: readonly KeyRange[] = [];
