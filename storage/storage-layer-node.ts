import type {
  Address,
  Contact,
  Id,
  KbrUpcalls,
  KeyBasedRouting,
  NodeRuntime,
  OpHandle,
  PutAdmission,
  StorageDisk,
  StorageNode,
  StorageOptions,
  StorageReports,
  ValueRef,
} from "../sim/runtime/index.js";
import { Gateway } from "./gateway.js";
import { Handoff, type HandoffTarget } from "./handoff.js";
import { STORAGE_CATEGORY, STORAGE_SIZE, type StorageMessage, type StorageMessageOf } from "./messages.js";
import { ReplicaFanout } from "./replica-fanout.js";
import { TupleStore } from "./tuple-store.js";

/**
 * Expired tuples are dropped as scans meet them (Bamboo's storage manager does no more); a sweep this often bounds
 * how long one can sit on a disk that no scan visits.
 */
const EXPIRY_SWEEP_MS = 60_000;

/** A replication's way of keeping replica sets full: anti-entropy, DHash's maintenance, push-on-change. */
export interface Maintenance {
  /** Starts its timers (it checks `routing.joined` itself). */
  start(): void;
  neighboursChanged(): void;
  /** Handles one of its own messages; false when the message is not its. */
  receive(from: Address, m: StorageMessage): boolean;
  /** Replica-set members this node synchronised with lately over the range holding `key` (Bamboo's "synced"). */
  syncedWith?(key: Id): readonly Address[];
}

/** What distinguishes one replication from another, given the parts every one shares. */
export interface ReplicationDesign {
  /** Hand-off of misplaced tuples, and to whom; null: none (push, Carbonite keeps surplus copies). */
  readonly handoff: HandoffTarget | null;
  maintenance(parts: MaintenanceParts): Maintenance;
}

export interface MaintenanceParts {
  readonly rt: NodeRuntime;
  readonly routing: KeyBasedRouting;
  readonly o: StorageOptions;
  readonly store: TupleStore;
}

/**
 * One node's storage layer: a store of tuples, the gateway for the operations clients ask of this node, the root's
 * fan-out of puts to the replica set, the root's answer to gets, hand-off of misplaced tuples, and the replication's
 * own maintenance. It sees its routing protocol only through key-based routing.
 */
export class StorageLayerNode implements StorageNode, KbrUpcalls {
  private readonly store: TupleStore;
  private readonly gateway: Gateway;
  private readonly fanout: ReplicaFanout;
  private readonly handoff: Handoff | null;
  private readonly maintenance: Maintenance;

  constructor(
    private readonly rt: NodeRuntime,
    private readonly routing: KeyBasedRouting,
    private readonly o: StorageOptions,
    reports: StorageReports,
    disk: StorageDisk | null,
    design: ReplicationDesign,
    admission: PutAdmission | null = null,
  ) {
    const held = (key: Id, valueHash: number, remove: boolean, delta: 1 | -1) => reports.held(key, valueHash, remove, delta);
    this.store = disk instanceof TupleStore ? disk.adopt(held) : new TupleStore(held);
    // A returning node's disk may hold tuples that expired while it was away.
    this.store.expire(this.nowUs);
    this.gateway = new Gateway(rt, routing, o, reports);
    this.fanout = new ReplicaFanout(rt, routing, o, this.store, admission);
    this.fanout.local = (m) => this.gateway.putAnswered(m);
    this.handoff = design.handoff === null ? null : new Handoff(rt, routing, o, this.store, design.handoff);
    this.maintenance = design.maintenance({ rt, routing, o, store: this.store });
    routing.setUpcalls(this);
    this.handoff?.start();
    this.maintenance.start();
    const sweep = () => {
      this.store.expire(this.nowUs);
      rt.setTimer(EXPIRY_SWEEP_MS, sweep);
    };
    rt.setTimer(EXPIRY_SWEEP_MS * (1 + rt.random.next()), sweep);
  }

  private get nowUs(): number {
    return Math.round(this.rt.now() * 1000);
  }

  get disk(): StorageDisk {
    return this.store;
  }

  get storedBytes(): number {
    return this.store.bytes;
  }

  // What clients ask of this node (it is their gateway)

  put(handle: OpHandle, key: Id, value: ValueRef, ttlMs: number): void {
    this.gateway.put(handle, key, value, ttlMs);
  }

  remove(handle: OpHandle, key: Id, valueHash: number, secret: number, ttlMs: number): void {
    this.gateway.remove(handle, key, valueHash, secret, ttlMs);
  }

  get(handle: OpHandle, key: Id): void {
    this.gateway.get(handle, key);
  }

  // Upcalls from key-based routing

  deliver(key: Id, payload: object, _origin: Contact, _hops: number): void {
    const m = payload as StorageMessage;
    switch (m.t) {
      case "putReq":
        return this.fanout.atRoot(m);
      case "getReq":
        return this.answerGet(m);
      case "replicaSetReq":
        return this.answerReplicaSet(m);
    }
  }

  neighboursChanged(): void {
    this.handoff?.neighboursChanged();
    this.maintenance.neighboursChanged();
  }

  /** At the root: our values, the replica set and whom we are synced with. */
  private answerGet(m: StorageMessageOf<"getReq">): void {
    const values = this.store.values(m.key, this.nowUs);
    const replicas = this.routing.replicaSet(m.key, this.o.replicas);
    const synced = this.maintenance.syncedWith?.(m.key) ?? NONE;
    const resp: StorageMessageOf<"getResp"> = { layer: "storage", t: "getResp", seq: m.seq, values, replicas, synced };
    if (m.gateway.address === this.rt.address) return this.gateway.rootAnswered(this.rt.address, resp);
    this.rt.send(m.gateway.address, resp, STORAGE_SIZE.getResp(values, replicas.length), STORAGE_CATEGORY.get);
  }

  private answerReplicaSet(m: StorageMessageOf<"replicaSetReq">): void {
    if (this.handoff !== null) return this.handoff.askedForReplicaSet(m);
    const replicas = this.routing.replicaSet(m.key, this.o.replicas);
    this.rt.send(m.asker.address, { layer: "storage", t: "replicaSetResp", seq: m.seq, replicas }, STORAGE_SIZE.replicaSetResp(replicas.length), STORAGE_CATEGORY.handoff);
  }

  // Messages sent straight to this node

  receive(from: Address, message: { layer: "storage" }): void {
    const m = message as StorageMessage;
    switch (m.t) {
      case "putResp":
        return this.gateway.putAnswered(m);
      case "getResp":
        return this.gateway.rootAnswered(from, m);
      case "replicaGet": {
        const values = this.store.values(m.key, this.nowUs);
        this.rt.send(from, { layer: "storage", t: "replicaGetResp", seq: m.seq, values }, STORAGE_SIZE.replicaGetResp(values), STORAGE_CATEGORY.get);
        return;
      }
      case "replicaGetResp":
        return this.gateway.replicaAnswered(from, m);
      case "store":
        return this.fanout.copyReceived(from, m);
      case "storeAck":
        return this.fanout.acked(from, m.seq);
      case "replicaSetResp":
        return this.handoff?.replicaSetAnswered(m);
      case "handoff":
        if (this.handoff !== null) return this.handoff.received(from, m);
        this.store.add(m.tuple, this.nowUs);
        return;
      case "handoffAck":
        return this.handoff?.acked(from, m.seq);
      default:
        this.maintenance.receive(from, m);
    }
  }
}

const NONE: readonly Address[] = [];
