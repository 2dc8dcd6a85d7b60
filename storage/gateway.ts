import { type Contact, hashSecret, type Id, type KeyBasedRouting, type NodeRuntime, type OpHandle, type StorageOptions, type StorageReports, type TimerHandle, type ValueRef } from "../sim/runtime/index.js";
import { STORAGE_CATEGORY, STORAGE_SIZE, type StorageMessageOf } from "./messages.js";
import type { Tuple } from "./tuple.js";

/** Sends of one operation to the key's root before the gateway gives up (the first and two re-sends). */
const MAX_ATTEMPTS = 3;
/** How long a gateway waits for one replica asked directly to complete a get (Bamboo's get RPC timeout). */
const REPLICA_TIMEOUT_MS = 5000;


interface PendingPut {
  handle: OpHandle;
  tuple: Tuple;
  secret: number;
  client: number;
  attempts: number;
  timer: TimerHandle;
}

interface PendingGet {
  handle: OpHandle;
  key: Id;
  attempts: number;
  timer: TimerHandle;
  /** After the root's answer: the union of values heard, and who is still to answer. */
  values: Map<number, Tuple> | null;
  contacted: number;
  responses: number;
  needed: number;
  /** Replicas asked directly and not yet answered (successors: the ones still to ask, in order). */
  waiting: Contact[];
}

/**
 * The gateway: the node a client asked. It stamps puts with its clock, routes them and gets to the key's root,
 * re-sends what is not answered within `retryMs`, completes gets by the scenario's get mode, and reports each
 * operation's end to the client (the engine's workload) exactly once.
 */
export class Gateway {
  private readonly puts = new Map<number, PendingPut>();
  private readonly gets = new Map<number, PendingGet>();
  private nextSeq = 0;
  private readonly putTimedOut = (seq: number) => this.resendPut(seq);
  private readonly getTimedOut = (seq: number) => this.resendGet(seq);
  private readonly replicaTimedOut = (seq: number) => this.replicaSilent(seq);

  constructor(
    private readonly rt: NodeRuntime,
    private readonly routing: KeyBasedRouting,
    private readonly o: StorageOptions,
    private readonly reports: StorageReports,
  ) {}

  private get quorum(): boolean {
    return this.o.getMode === "quorum" || this.o.getMode === "quorumSync";
  }

  private get nowUs(): number {
    return Math.round(this.rt.now() * 1000);
  }

  put(handle: OpHandle, key: Id, value: ValueRef, ttlMs: number): void {
    const putTimeUs = this.nowUs;
    const ttlUs = Math.round(Math.min(ttlMs, this.o.maxTtlMs) * 1000);
    const tuple: Tuple = { key, valueHash: value.valueHash, secretHash: value.secretHash, size: value.size, putTimeUs, expiresUs: putTimeUs + ttlUs, remove: false };
    this.startPut(handle, tuple, 0, value.client);
  }

  remove(handle: OpHandle, key: Id, valueHash: number, secret: number, ttlMs: number): void {
    const putTimeUs = this.nowUs;
    const ttlUs = Math.round(Math.min(ttlMs, this.o.maxTtlMs) * 1000);
    const tuple: Tuple = { key, valueHash, secretHash: hashSecret(secret), size: 0, putTimeUs, expiresUs: putTimeUs + ttlUs, remove: true };
    // Removes are not offered to admission control: the client does not matter.
    this.startPut(handle, tuple, secret, -1);
  }

  private startPut(handle: OpHandle, tuple: Tuple, secret: number, client: number): void {
    const seq = this.nextSeq++;
    const pending: PendingPut = { handle, tuple, secret, client, attempts: 0, timer: -1 };
    this.puts.set(seq, pending);
    this.sendPut(seq, pending);
  }

  private sendPut(seq: number, p: PendingPut): void {
    p.attempts++;
    p.timer = this.rt.setTimer(this.o.retryMs, this.putTimedOut, seq);
    const m: StorageMessageOf<"putReq"> = { layer: "storage", t: "putReq", gateway: this.routing.self, seq, tuple: p.tuple, secret: p.secret, client: p.client };
    this.routing.route(p.tuple.key, m, STORAGE_SIZE.putReq(p.tuple), STORAGE_CATEGORY.put);
  }

  private resendPut(seq: number): void {
    const p = this.puts.get(seq);
    if (p === undefined) return;
    if (p.attempts < MAX_ATTEMPTS) return this.sendPut(seq, p);
    this.puts.delete(seq);
    this.reports.putEnded(p.handle, "failed", 0, p.attempts);
  }

  putAnswered(m: StorageMessageOf<"putResp">): void {
    const p = this.puts.get(m.seq);
    if (p === undefined) return;
    this.puts.delete(m.seq);
    this.rt.cancelTimer(p.timer);
    this.reports.putEnded(p.handle, m.status, m.acks, p.attempts);
  }

  // Gets

  get(handle: OpHandle, key: Id): void {
    const seq = this.nextSeq++;
    const pending: PendingGet = { handle, key, attempts: 0, timer: -1, values: null, contacted: 0, responses: 0, needed: 0, waiting: [] };
    this.gets.set(seq, pending);
    this.sendGet(seq, pending);
  }

  private sendGet(seq: number, g: PendingGet): void {
    g.attempts++;
    g.timer = this.rt.setTimer(this.o.retryMs, this.getTimedOut, seq);
    const m: StorageMessageOf<"getReq"> = { layer: "storage", t: "getReq", gateway: this.routing.self, seq, key: g.key };
    this.routing.route(g.key, m, STORAGE_SIZE.getReq, STORAGE_CATEGORY.get);
  }

  private resendGet(seq: number): void {
    const g = this.gets.get(seq);
    if (g === undefined || g.values !== null) return;
    if (g.attempts < MAX_ATTEMPTS) return this.sendGet(seq, g);
    this.gets.delete(seq);
    this.reports.getEnded(g.handle, null, 0, g.attempts);
  }

  /** The root's answer: its values, its replica set and whom it is synced with. */
  rootAnswered(from: number, m: StorageMessageOf<"getResp">): void {
    const g = this.gets.get(m.seq);
    if (g === undefined || g.values !== null) return;
    this.rt.cancelTimer(g.timer);
    g.values = new Map();
    g.contacted = 1;
    g.responses = 1;
    this.merge(g, m.values);
    const others = m.replicas.filter((c) => c.address !== from);
    if (this.o.getMode === "rootOnly") return this.finishGet(m.seq, g);
    if (this.quorum) {
      const n = m.replicas.length;
      g.needed = Math.min(n, Math.floor(n / 2) + 1);
      // A replica the root synchronised with lately holds nothing the root lacks: it counts as an answer.
      const synced = this.o.getMode === "quorumSync" ? others.filter((c) => m.synced.includes(c.address)) : [];
      g.responses += synced.length;
      if (g.responses >= g.needed) return this.finishGet(m.seq, g);
      g.waiting = others.filter((c) => !synced.includes(c));
      if (g.waiting.length === 0) return this.finishGet(m.seq, g);
      for (const c of g.waiting) this.askReplica(m.seq, g, c);
      g.timer = this.rt.setTimer(REPLICA_TIMEOUT_MS, this.replicaTimedOut, m.seq);
      return;
    }
    if (g.values.size > 0 || others.length === 0) return this.finishGet(m.seq, g);
    g.waiting = others;
    this.askNextReplica(m.seq, g);
  }

  private askReplica(seq: number, g: PendingGet, c: Contact): void {
    g.contacted++;
    this.rt.send(c.address, { layer: "storage", t: "replicaGet", seq, key: g.key }, STORAGE_SIZE.replicaGet, STORAGE_CATEGORY.get);
  }

  /** Successors: the next replica in the set, with its own timeout. */
  private askNextReplica(seq: number, g: PendingGet): void {
    const next = g.waiting.shift();
    if (next === undefined) return this.finishGet(seq, g);
    this.askReplica(seq, g, next);
    g.timer = this.rt.setTimer(REPLICA_TIMEOUT_MS, this.replicaTimedOut, seq);
  }

  replicaAnswered(from: number, m: StorageMessageOf<"replicaGetResp">): void {
    const g = this.gets.get(m.seq);
    if (g === undefined || g.values === null) return;
    const i = g.waiting.findIndex((c) => c.address === from);
    if (this.quorum) {
      if (i < 0) return;
      g.waiting.splice(i, 1);
      g.responses++;
      this.merge(g, m.values);
      if (g.responses >= g.needed || g.waiting.length === 0) {
        this.rt.cancelTimer(g.timer);
        this.finishGet(m.seq, g);
      }
      return;
    }
    this.rt.cancelTimer(g.timer);
    this.merge(g, m.values);
    if (g.values.size > 0) return this.finishGet(m.seq, g);
    this.askNextReplica(m.seq, g);
  }

  private replicaSilent(seq: number): void {
    const g = this.gets.get(seq);
    if (g === undefined || g.values === null) return;
    if (this.quorum) return this.finishGet(seq, g);
    this.askNextReplica(seq, g);
  }

  private merge(g: PendingGet, values: readonly Tuple[]): void {
    const nowUs = this.nowUs;
    for (const t of values) if (t.expiresUs > nowUs) (g.values as Map<number, Tuple>).set(t.valueHash, t);
  }

  private finishGet(seq: number, g: PendingGet): void {
    this.gets.delete(seq);
    this.reports.getEnded(g.handle, [...(g.values as Map<number, Tuple>).keys()], g.contacted, g.attempts);
  }
}
