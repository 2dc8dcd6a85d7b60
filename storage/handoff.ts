import type { Address, Contact, KeyBasedRouting, NodeRuntime, StorageOptions, TimerHandle } from "../sim/runtime/index.js";
import { STORAGE_CATEGORY, STORAGE_SIZE, type StorageMessageOf } from "./messages.js";
import { everyJittered } from "./rounds.js";
import { type Tuple, tupleFingerprint } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

/** How long one tuple's hand-off may take (the replica-set question, then the copy's ack) before it is abandoned. */
const HANDOFF_TIMEOUT_MS = 60_000;

/** Who receives a tuple handed off: a random member of the key's replica set (Bamboo), or the root (DHash). */
export type HandoffTarget = "random" | "root";

interface InFlight {
  tuple: Tuple;
  seq: number;
  timer: TimerHandle;
  target: Address | null;
}

/**
 * Hand-off of tuples a node holds but should not: after churn moved the key's replica set away (a node that
 * joined nearer the key, a neighbour that came back), the holder asks the key's root for its replica set, gives the
 * tuple to a member and deletes its own copy once the member has acknowledged it. One tuple at a time, the next
 * right after an ack, and a fresh scan every `handoffMs` + U(0, `handoffMs`), as Bamboo's DataManager does. A tuple
 * this node can tell it may hold (it is in the widest replica set it can name for the key) is never asked about;
 * one the root confirmed is not asked about again until the neighbours change.
 */
export class Handoff {
  private queue: Tuple[] = [];
  private current: InFlight | null = null;
  private nextSeq = 0;
  /** Tuples the root said we hold rightly (by fingerprint): not asked about again until our neighbours change. */
  private confirmed = new Set<number>();
  private readonly timedOut = (seq: number) => {
    if (this.current?.seq === seq) this.next();
  };
  /** Counts hand-offs completed, for the run's statistics. */
  handedOff = 0;

  constructor(
    private readonly rt: NodeRuntime,
    private readonly routing: KeyBasedRouting,
    private readonly o: StorageOptions,
    private readonly store: TupleStore,
    private readonly target: HandoffTarget,
  ) {}

  start(): void {
    everyJittered(this.rt, this.o.handoffMs, () => {
      if (this.current === null && this.queue.length === 0) this.scan();
    });
  }

  neighboursChanged(): void {
    this.confirmed.clear();
    this.scannedVersion = -1;
  }

  /** The store's version at the last scan that found nothing to hand off: until it or our neighbours change, none. */
  private scannedVersion = -1;

  private scan(): void {
    const nowUs = Math.round(this.rt.now() * 1000);
    this.store.expire(nowUs);
    if (this.store.version === this.scannedVersion) return;
    // Held rightly, by our own knowledge, when the widest replica set we can name for the key has us: for Bamboo,
    // any key within the leaf set's range, as its DataManager keeps them; anti-entropy pulls only within it, so
    // what it fetches is never handed off again.
    const widest = this.routing.maxReplicas;
    const self = this.rt.address;
    // Slots in key order, so a key's values are met together and asked about once; a tuple is made only for those
    // to hand off.
    const store = this.store;
    let lastKey = "";
    let held = true;
    store.forEachSlot((slot) => {
      const key = store.keyAt(slot);
      if (key !== lastKey) {
        lastKey = key;
        held = this.routing.replicaSet(key, widest).some((c) => c.address === self);
      }
      if (held) return;
      const t = store.tupleAt(slot);
      if (!this.confirmed.has(tupleFingerprint(t))) this.queue.push(t);
    });
    if (this.queue.length === 0) this.scannedVersion = this.store.version;
    this.next();
  }

  private next(): void {
    if (this.current !== null) this.rt.cancelTimer(this.current.timer);
    this.current = null;
    const nowUs = Math.round(this.rt.now() * 1000);
    let t = this.queue.pop();
    // Tuples gone meanwhile (expired, merged away) need no hand-off.
    while (t !== undefined && (t.expiresUs <= nowUs || !this.store.has(t))) t = this.queue.pop();
    if (t === undefined) return;
    const seq = this.nextSeq++;
    this.current = { tuple: t, seq, timer: this.rt.setTimer(HANDOFF_TIMEOUT_MS, this.timedOut, seq), target: null };
    const m: StorageMessageOf<"replicaSetReq"> = { layer: "storage", t: "replicaSetReq", asker: this.routing.self, seq, key: t.key };
    this.routing.route(t.key, m, STORAGE_SIZE.replicaSetReq, STORAGE_CATEGORY.handoff);
  }

  /** At the key's root: say who should hold it. */
  askedForReplicaSet(m: StorageMessageOf<"replicaSetReq">): void {
    const replicas = this.routing.replicaSet(m.key, this.o.replicas);
    const resp: StorageMessageOf<"replicaSetResp"> = { layer: "storage", t: "replicaSetResp", seq: m.seq, replicas };
    if (m.asker.address === this.rt.address) return this.replicaSetAnswered(resp);
    this.rt.send(m.asker.address, resp, STORAGE_SIZE.replicaSetResp(replicas.length), STORAGE_CATEGORY.handoff);
  }

  replicaSetAnswered(m: StorageMessageOf<"replicaSetResp">): void {
    const c = this.current;
    if (c === null || c.seq !== m.seq || c.target !== null) return;
    if (m.replicas.length === 0) return this.next();
    if (m.replicas.some((r) => r.address === this.rt.address)) {
      this.confirmed.add(tupleFingerprint(c.tuple));
      return this.next();
    }
    const to: Contact = this.target === "root" ? m.replicas[0] : m.replicas[this.rt.random.int(m.replicas.length)];
    c.target = to.address;
    this.rt.send(to.address, { layer: "storage", t: "handoff", seq: c.seq, tuple: c.tuple }, STORAGE_SIZE.handoff(c.tuple), STORAGE_CATEGORY.handoff);
  }

  /** A tuple handed to us: keep it and acknowledge. */
  received(from: Address, m: StorageMessageOf<"handoff">): void {
    this.store.add(m.tuple, Math.round(this.rt.now() * 1000));
    this.rt.send(from, { layer: "storage", t: "handoffAck", seq: m.seq }, STORAGE_SIZE.handoffAck, STORAGE_CATEGORY.handoff);
  }

  acked(from: Address, seq: number): void {
    const c = this.current;
    if (c === null || c.seq !== seq || c.target !== from) return;
    this.store.removeTuple(c.tuple);
    this.handedOff++;
    this.next();
  }
}
