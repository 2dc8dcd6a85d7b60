import type { Address, KeyBasedRouting, NodeRuntime, StorageOptions } from "../sim/runtime/index.js";
import { STORAGE_CATEGORY, STORAGE_SIZE, type StorageMessageOf } from "./messages.js";
import type { Maintenance } from "./storage-layer-node.js";
import type { TupleStore } from "./tuple-store.js";

/**
 * Push-on-change, the maintenance of OverSim's DHT application: when a node learns of a new member of a key's replica
 * set, and it is the key's root, it sends that member the tuple (with what remains of its TTL). Nothing else: no
 * anti-entropy, no hand-off, so a copy missed while the root was unaware is never repaired. The simple baseline.
 */
export class PushOnChange implements Maintenance {
  private known = new Set<Address>();
  private pending = false;
  private readonly push = () => this.pushToNewcomers();

  constructor(
    private readonly rt: NodeRuntime,
    private readonly routing: KeyBasedRouting,
    private readonly o: StorageOptions,
    private readonly store: TupleStore,
  ) {}

  start(): void {}

  receive(): boolean {
    return false;
  }

  /** Changes come in bursts (a whole leaf set at a join): looked at once, at the end of the burst. */
  neighboursChanged(): void {
    if (this.pending) return;
    this.pending = true;
    this.rt.setTimer(0, this.push);
  }

  private pushToNewcomers(): void {
    this.pending = false;
    const now = new Set<Address>();
    for (const c of this.routing.neighbours()) now.add(c.address);
    const newcomers = new Set<Address>();
    for (const a of now) if (!this.known.has(a)) newcomers.add(a);
    this.known = now;
    if (newcomers.size === 0 || !this.routing.joined) return;
    const nowUs = Math.round(this.rt.now() * 1000);
    this.store.expire(nowUs);
    const self = this.rt.address;
    this.store.forEach((t) => {
      const replicas = this.routing.replicaSet(t.key, this.o.replicas);
      if (replicas.length === 0 || replicas[0].address !== self) return;
      for (let i = 1; i < replicas.length; i++) {
        const to = replicas[i].address;
        if (!newcomers.has(to)) continue;
        const m: StorageMessageOf<"store"> = { layer: "storage", t: "store", seq: -1, tuple: t, secret: 0 };
        this.rt.send(to, m, STORAGE_SIZE.store(t), STORAGE_CATEGORY.replicate);
      }
    });
  }
}
