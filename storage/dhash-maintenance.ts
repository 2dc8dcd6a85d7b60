import { type Address, clockwiseDistance, type Contact, type KeyBasedRouting, type NodeRuntime, type StorageOptions } from "../sim/runtime/index.js";
import type { KeyRange } from "./key-range.js";
import { KEY_TREE, MerkleExchange } from "./merkle-exchange.js";
import { STORAGE_CATEGORY, STORAGE_SIZE, type StorageMessage, type StorageMessageOf } from "./messages.js";
import { everyJittered, forgetFormerNeighbours } from "./rounds.js";
import type { Maintenance } from "./storage-layer-node.js";
import { fingerprint, type Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

const print = (t: Tuple) => fingerprint(t.key, t.valueHash, t.secretHash, t.remove, t.putTimeUs, t.expiresUs);

/**
 * DHash's local maintenance (MIT Chord, Cates 2003): every `maintenanceMs` + U(0, `maintenanceMs`) a node
 * synchronises its primary range (predecessor, self] with one successor, round-robin, comparing Merkle trees over
 * the key space: it pulls what it lacks, and the successor is given what it lacks.
 *
 * Eager (DHash as it was): the successors synchronised with are the first r − 1, and each is sent every tuple it
 * lacks. With Carbonite (Chun et al., NSDI 2006), the node counts each tuple's copies on itself and on the whole
 * successor list (as of its last synchronisation with each) and makes one new copy, on the first successor lacking
 * it, only while fewer than r copies are reachable; surplus copies are never deleted (hand-off is off), so a
 * returning node's copies count again.
 */
export class DhashMaintenance implements Maintenance {
  private readonly exchange: MerkleExchange;
  private turn = 0;
  /** Carbonite: per successor, our tuples it lacked at the end of our last synchronisation with it. */
  private readonly lacking = new Map<Address, Set<number>>();
  private roundLacking: Set<number> | null = null;

  constructor(
    private readonly rt: NodeRuntime,
    private readonly routing: KeyBasedRouting,
    private readonly o: StorageOptions,
    private readonly store: TupleStore,
  ) {
    this.exchange = new MerkleExchange(rt, store, KEY_TREE, () => true, (t, partner) => this.partnerLacks(t, partner));
  }

  start(): void {
    everyJittered(this.rt, this.o.maintenanceMs, () => this.round());
  }

  neighboursChanged(): void {
    forgetFormerNeighbours(this.lacking, this.routing.neighbours());
  }

  receive(from: Address, m: StorageMessage): boolean {
    return this.exchange.receive(from, m);
  }

  /** Our successors, nearest first, as our replica set for our own identifier names them (ourselves left out). */
  private successors(): Contact[] {
    return this.routing.replicaSet(this.routing.self.id, this.routing.maxReplicas).slice(1);
  }

  /** The neighbour farthest clockwise from us: our predecessor. */
  private predecessor(): Contact | null {
    const self = this.routing.self;
    let best: Contact | null = null;
    let bestDistance = -1n;
    for (const c of this.routing.neighbours()) {
      const d = clockwiseDistance(self.id, c.id);
      if (d > bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  private round(): void {
    if (!this.routing.joined || this.exchange.busy) return;
    const successors = this.successors();
    const scope = this.o.carbonite ? successors : successors.slice(0, this.o.replicas - 1);
    const predecessor = this.predecessor();
    if (scope.length === 0 || predecessor === null) return;
    const partner = scope[this.turn++ % scope.length];
    const range: KeyRange = { lo: predecessor.id, hi: this.routing.self.id };
    this.roundLacking = new Set();
    this.exchange.begin(partner.address, range, (complete) => {
      const lacked = this.roundLacking;
      this.roundLacking = null;
      if (!complete || !this.o.carbonite || lacked === null) return;
      this.lacking.set(partner.address, lacked);
      this.repair(range, successors);
    });
  }

  private partnerLacks(t: Tuple, partner: Address): void {
    if (this.o.carbonite) this.roundLacking?.add(print(t));
    else this.copyTo(partner, t);
  }

  /** Carbonite's rule: one new copy of each tuple with fewer than r reachable copies, on the first successor lacking it. */
  private repair(range: KeyRange, successors: readonly Contact[]): void {
    const r = this.o.replicas;
    this.store.inRange(range, Math.round(this.rt.now() * 1000), (t) => {
      const p = print(t);
      let copies = 1;
      let target: Contact | null = null;
      for (const s of successors) {
        const lacked = this.lacking.get(s.address);
        // A successor not synchronised with yet is not known to hold anything.
        if (lacked !== undefined && !lacked.has(p)) copies++;
        else target ??= s;
      }
      if (copies >= r || target === null) return;
      this.copyTo(target.address, t);
      this.lacking.get(target.address)?.delete(p);
    });
  }

  private copyTo(to: Address, t: Tuple): void {
    const m: StorageMessageOf<"store"> = { layer: "storage", t: "store", seq: -1, tuple: t, secret: 0 };
    this.rt.send(to, m, STORAGE_SIZE.store(t), STORAGE_CATEGORY.fetch);
  }
}
