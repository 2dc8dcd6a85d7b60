import type { LiveSet } from "../churn/live-set.js";
import { messageChanged } from "../engine/frozen-messages.js";
import type { Invariants } from "../engine/invariants.js";
import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import type { GetRecord, PutRecord, PutStatus } from "../metrics/storage-metrics.js";
import type { Id } from "../runtime/ids.js";
import type { Address } from "../runtime/node-runtime.js";
import type { ServicePutStatus } from "../runtime/client-application.js";
import { hashSecret, type OpHandle, type PutOutcome, type StorageNode } from "../runtime/storage-layer.js";
import type { StorageWorkloadSpec } from "../scenario/storage-spec.js";
import type { ClientMetrics } from "../metrics/client-metrics.js";
import type { Client, ClientPopulation } from "./client-population.js";
import { IndexedSet } from "./indexed-set.js";
import { TimeQueue } from "./time-queue.js";
import type { ValueOracle } from "./value-oracle.js";

/**
 * The storage workload: every joined node puts values and gets keys, each as a Poisson process, and now and then
 * removes a value it put. With a client population (OpenDHT's clients) the clients do so instead, each group as
 * its own Poisson processes, through their gateways: a client tries an operation again after AGAIN (after
 * `againDelay`) or when its gateway is silent for `gatewayTimeout` (through another gateway), up to `attempts`
 * tries, and its operations are never abandoned, since clients do not churn. Each operation ends exactly once — reported by the client node's storage layer, or
 * timed out — and is recorded; gets are judged against the value oracle, which the workload tells of every put
 * issued and every put and remove acked.
 *
 * The simulation's part:
 *   const workload = new StorageWorkload(scenario.storage.workload, host, oracle, scheduler, root.fork("storage-workload"),
 *     storageMetrics, invariants);
 *   workload.start(joinPhaseMs, durationMs);   // as the lookup workload
 *   StorageReports.putEnded(handle, …) → workload.putEnded(handle, ok, acks, attempts)
 *   StorageReports.getEnded(handle, …) → workload.getEnded(handle, values, replicasContacted, attempts)
 *   after the run: drain while workload.pendingOps > 0 (each ends by its timeout at the latest).
 */

/** The incarnation an operation was started on: whether it is still alive, and who it is. */
export interface StorageClient {
  readonly active: boolean;
  readonly address: Address;
  readonly id: Id;
}

/** What the storage workload needs from the simulation. */
export interface StorageWorkloadHost {
  /** Live nodes that have joined the overlay, by address: the clients. */
  readonly joined: LiveSet;
  /** The node's storage layer (null if it has none: the operation then times out). */
  storage(address: Address): StorageNode | null;
  runtime(address: Address): StorageClient;
}

/** Where ended operations go: StorageMetrics. */
export interface StorageRecorder {
  putEnded(r: PutRecord): void;
  getEnded(r: GetRecord): void;
  /** Operations whose client departed before they ended: nobody is left to judge them by. */
  opsAbandoned: number;
}

/** A value this workload put, until it expires or its remove is acked. */
interface PutValue {
  readonly key: Id;
  readonly valueHash: number;
  readonly secret: number;
  readonly size: number;
  readonly expiresUs: number;
  /** The client that put it, or −1 when nodes are their own clients (or an application put it). */
  readonly client: number;
  /** Put with no secret (an application's value, which is never removed). */
  readonly noSecret?: boolean;
  acked: boolean;
  /** Expired, or removed (acked). */
  gone: boolean;
  /** A remove is in progress, or ended without an answer: not to be removed again. */
  removing: boolean;
}

/** The gateway of a client that has none yet (no node has joined): its tries go nowhere and time out. */
const NO_GATEWAY: StorageClient = { active: false, address: -1, id: "" };

const PUT = 0;
const REMOVE = 1;
const GET = 2;
type OpKind = typeof PUT | typeof REMOVE | typeof GET;

interface PendingOp {
  kind: OpKind;
  startUs: number;
  client: StorageClient;
  key: Id;
  /** The value put or removed (null for a get). */
  value: PutValue | null;
  ttlMs: number;
  timeout: number;
  /** The client that asked, or null when nodes are their own clients; its tries so far. */
  asker: Client | null;
  attempt: number;
  /** For an application's operation (ReDiR's): where its outcome goes instead of the workload's records. */
  onPut: ((status: ServicePutStatus) => void) | null;
  onGet: ((values: readonly number[] | null) => void) | null;
}

export class StorageWorkload {
  private readonly pending = new Map<OpHandle, PendingOp>();
  private nextHandle = 0;
  /** Value hashes are unique: a counter (the oracle tells values apart by them). */
  private nextValueHash = 1;
  private stopUs = Infinity;

  /** Live values this workload put, by key; keys with fewer than valuesPerKey (open), and with any (live). */
  private readonly liveByKey = new Map<Id, number>();
  private readonly openKeys = new IndexedSet<Id>();
  private readonly liveKeys = new IndexedSet<Id>();
  /** Acked, live values not being removed: what a remove picks from. */
  private readonly removable = new IndexedSet<PutValue>();
  private readonly expiries = new TimeQueue<PutValue>();
  /** Keys of puts, in the order issued, from `recentHead` on those within the last `recentMs`. */
  private recentKeys: Id[] = [];
  private recentTimes: number[] = [];
  private recentHead = 0;

  private readonly timeoutHandler = (handle: OpHandle) => this.timedOut(handle);
  private readonly putTick = () => this.issuePut();
  private readonly getTick = () => this.issueGet();
  private readonly groupPutTicks: Array<() => void>;
  private readonly groupGetTicks: Array<() => void>;
  /** A client's request reaching its gateway, one way later. */
  private readonly arrival = (handle: OpHandle) => this.reachGateway(handle);
  private readonly retry = (op: PendingOp) => {
    this.retrying--;
    this.launchClientOp(op.kind, op.asker as Client, op.key, op.value, op.ttlMs, op.startUs, op.attempt + 1, op.onPut, op.onGet);
  };
  /** Clients' operations waiting to be tried again after AGAIN. */
  private retrying = 0;

  constructor(
    private readonly spec: StorageWorkloadSpec,
    private readonly host: StorageWorkloadHost,
    private readonly oracle: ValueOracle,
    private readonly scheduler: Scheduler,
    private readonly rng: SeededRandom,
    private readonly recorder: StorageRecorder,
    private readonly invariants: Invariants,
    private readonly clients: ClientPopulation | null = null,
    private readonly clientMetrics: ClientMetrics | null = null,
  ) {
    const groups = clients?.spec.groups ?? [];
    this.groupPutTicks = groups.map((_, g) => () => this.issueClientPut(g));
    this.groupGetTicks = groups.map((_, g) => () => this.issueClientGet(g));
  }

  /** Operations started and not ended yet (a client's waiting to try again after AGAIN among them). */
  get pendingOps(): number {
    return this.pending.size + this.retrying;
  }

  /** Keys holding a live value this workload put. */
  get liveKeyCount(): number {
    return this.liveKeys.size;
  }

  /** Operations are issued from `startMs` until `stopMs`; those in progress at `stopMs` still run to their end. */
  start(startMs: number, stopMs: number): void {
    this.stopUs = usFromMs(stopMs);
    // Client groups replace the nodes' own workload; an application's clients alone (ReDiR's) do not.
    if (this.clients !== null && this.clients.spec.groups.length > 0) {
      this.clients.spec.groups.forEach((g, i) => {
        this.scheduler.schedule(usFromMs(startMs), this.groupPutTicks[i]);
        if (g.getIntervalMs > 0) this.scheduler.schedule(usFromMs(startMs), this.groupGetTicks[i]);
      });
      return;
    }
    this.scheduler.schedule(usFromMs(startMs), this.putTick);
    this.scheduler.schedule(usFromMs(startMs), this.getTick);
  }

  /** The client's storage layer reported a put or remove ended; later reports (after a timeout) are ignored. */
  putEnded(handle: OpHandle, outcome: PutOutcome, acks: number, attempts: number): void {
    const op = this.pending.get(handle);
    if (op === undefined || op.kind === GET) return;
    if (outcome === "again" && op.asker !== null && op.attempt < (this.clients as ClientPopulation).spec.attempts) {
      // The answer travels back to the client, which waits againDelay and tries the same gateway again.
      this.pending.delete(handle);
      this.scheduler.cancel(op.timeout);
      const backUs = (this.clients as ClientPopulation).delayUs(op.asker);
      this.retrying++;
      this.scheduler.after(backUs + usFromMs(this.clients!.spec.againDelayMs), this.retry, op);
      return;
    }
    this.endPut(handle, op, outcome, acks, attempts);
  }

  /** The client's storage layer reported a get ended with these values (null: it failed). */
  getEnded(handle: OpHandle, values: readonly number[] | null, replicasContacted: number, attempts: number): void {
    const op = this.pending.get(handle);
    if (op === undefined || op.kind !== GET) return;
    this.endGet(handle, op, values, replicasContacted, attempts, false);
  }

  // Issuing

  /**
   * Puts (and the removes taking some of their turns) as one Poisson process of rate J/putInterval over the J
   * joined nodes, J taken when each gap is drawn, as the lookup workload does.
   */
  private issuePut(): void {
    this.expire();
    const joined = this.host.joined;
    if (joined.size > 0) {
      const address = joined.at(this.rng.int(joined.size));
      const remove = this.rng.next() < this.spec.removeFraction;
      if (remove && this.removable.size > 0) this.launchRemove(address, this.removable.at(this.rng.int(this.removable.size)));
      else {
        const value = this.newValue(this.spec.valueBytes, this.spec.ttlMs, -1);
        this.launch(PUT, address, value.key, value, value.ttlMs);
      }
    }
    const gap = usFromMs(this.rng.exponential(this.spec.putIntervalMs / Math.max(1, joined.size)));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.putTick);
  }

  private issueGet(): void {
    this.expire();
    const joined = this.host.joined;
    if (joined.size > 0) {
      const address = joined.at(this.rng.int(joined.size));
      const key = this.keyToGet();
      // Nothing stored yet: no get.
      if (key !== null) this.launch(GET, address, key, null, 0);
    }
    const gap = usFromMs(this.rng.exponential(this.spec.getIntervalMs / Math.max(1, joined.size)));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.getTick);
  }

  /** A key recently put (recentGetFraction of the time) or any key holding a live value; null before any put. */
  private keyToGet(): Id | null {
    const recent = this.rng.next() < this.spec.recentGetFraction;
    const recentCount = this.recentKeys.length - this.recentHead;
    if (recent && recentCount > 0) return this.recentKeys[this.recentHead + this.rng.int(recentCount)];
    if (this.liveKeys.size > 0) return this.liveKeys.at(this.rng.int(this.liveKeys.size));
    return null;
  }

  /**
   * An application's put through a client's gateway (ReDiR registering a member), with the client's tries; not a
   * value of the workload's, so neither recorded nor judged. Refused once the run is over (`done` at once).
   */
  servicePut(asker: Client, key: Id, valueHash: number, size: number, ttlMs: number, done: (status: ServicePutStatus) => void): void {
    if (this.scheduler.nowUs >= this.stopUs) return done("failed");
    const now = this.scheduler.nowUs;
    const value: PutValue = { key, valueHash, secret: 0, noSecret: true, size, expiresUs: now + usFromMs(ttlMs), client: -1, acked: false, gone: false, removing: false };
    this.launchClientOp(PUT, asker, key, value, ttlMs, now, 1, done, null);
  }

  /** An application's get through a client's gateway, with the client's tries. */
  serviceGet(asker: Client, key: Id, done: (values: readonly number[] | null) => void): void {
    if (this.scheduler.nowUs >= this.stopUs) return done(null);
    this.launchClientOp(GET, asker, key, null, 0, this.scheduler.nowUs, 1, null, done);
  }

  /** A client group's puts (and removes taking some of their turns): one Poisson process of rate count/putInterval. */
  private issueClientPut(group: number): void {
    this.expire();
    const clients = this.clients as ClientPopulation;
    const g = clients.spec.groups[group];
    const remove = this.rng.next() < this.spec.removeFraction;
    if (remove && this.removable.size > 0) {
      // The client that put the value is the one that knows its secret.
      const value = this.removable.at(this.rng.int(this.removable.size));
      this.removable.delete(value);
      value.removing = true;
      const ttlMs = Math.ceil(msFromUs(value.expiresUs - this.scheduler.nowUs));
      this.launchClientOp(REMOVE, clients.clients[value.client], value.key, value, ttlMs, this.scheduler.nowUs, 1);
    } else {
      const client = clients.pick(group);
      const value = this.newValue(g.valueBytes, g.ttlMs, client.index);
      this.launchClientOp(PUT, client, value.key, value, value.ttlMs, this.scheduler.nowUs, 1);
    }
    const gap = usFromMs(this.rng.exponential(g.putIntervalMs / g.count));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.groupPutTicks[group]);
  }

  private issueClientGet(group: number): void {
    this.expire();
    const clients = this.clients as ClientPopulation;
    const g = clients.spec.groups[group];
    const key = this.keyToGet();
    if (key !== null) this.launchClientOp(GET, clients.pick(group), key, null, 0, this.scheduler.nowUs, 1);
    const gap = usFromMs(this.rng.exponential(g.getIntervalMs / g.count));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.groupGetTicks[group]);
  }

  /**
   * A fresh value, half the time under a key holding fewer than valuesPerKey live values, else under a fresh key,
   * its size and TTL drawn from the ranges given; the oracle is told it was issued.
   */
  private newValue(valueBytes: { min: number; max: number }, ttlRange: { min: number; max: number }, client: number): PutValue & { ttlMs: number } {
    const reuse = this.rng.next() < 0.5;
    const key = reuse && this.openKeys.size > 0 ? this.openKeys.at(this.rng.int(this.openKeys.size)) : this.rng.bits160hex();
    const { min: sizeMin, max: sizeMax } = valueBytes;
    const size = sizeMin + this.rng.int(sizeMax - sizeMin + 1);
    const { min: ttlMin, max: ttlMax } = ttlRange;
    const ttlMs = ttlMin === ttlMax ? ttlMin : Math.round(this.rng.uniform(ttlMin, ttlMax));
    const secret = Math.floor(this.rng.next() * 0x1_0000_0000);
    const now = this.scheduler.nowUs;
    const value: PutValue & { ttlMs: number } = {
      key,
      valueHash: this.nextValueHash,
      secret,
      size,
      expiresUs: now + usFromMs(ttlMs),
      client,
      ttlMs,
      acked: false,
      gone: false,
      removing: false,
    };
    this.nextValueHash = (this.nextValueHash + 1) >>> 0 || 1;
    this.expiries.push(value.expiresUs, value);
    this.countLive(key, 1);
    this.recentKeys.push(key);
    this.recentTimes.push(now);
    this.oracle.putIssued(key, value.valueHash, value.expiresUs);
    return value;
  }

  /**
   * A remove of a live value this workload put. Its TTL covers the value's remaining TTL, so the tombstone
   * outlives every copy and anti-entropy cannot bring the value back.
   */
  private launchRemove(address: Address, value: PutValue): void {
    this.removable.delete(value);
    value.removing = true;
    const ttlMs = Math.ceil(msFromUs(value.expiresUs - this.scheduler.nowUs));
    this.launch(REMOVE, address, value.key, value, ttlMs);
  }

  private launch(kind: OpKind, address: Address, key: Id, value: PutValue | null, ttlMs: number): void {
    const handle = this.nextHandle++;
    const client = this.host.runtime(address);
    const timeout = this.scheduler.after(usFromMs(this.spec.timeoutMs), this.timeoutHandler, handle);
    // Pending before the call: a layer may report at once.
    this.pending.set(handle, { kind, startUs: this.scheduler.nowUs, client, key, value, ttlMs, timeout, asker: null, attempt: 1, onPut: null, onGet: null });
    const node = this.host.storage(address);
    if (node === null) return;
    if (!this.invariants.enabled) return this.call(node, handle, kind, key, value, ttlMs, address);
    try {
      this.call(node, handle, kind, key, value, ttlMs, address);
    } catch (error) {
      throw messageChanged(error, this.invariants, this.scheduler.nowUs, client.id);
    }
  }

  /**
   * A client's try of an operation begun at `startUs`: sent to its gateway (picked now if it has none), where it
   * arrives one way later; unanswered after gatewayTimeout, it is tried again through another gateway.
   */
  private launchClientOp(
    kind: OpKind,
    asker: Client,
    key: Id,
    value: PutValue | null,
    ttlMs: number,
    startUs: number,
    attempt: number,
    onPut: PendingOp["onPut"] = null,
    onGet: PendingOp["onGet"] = null,
  ): void {
    const clients = this.clients as ClientPopulation;
    const handle = this.nextHandle++;
    const gateway = clients.gatewayOf(asker);
    const timeout = this.scheduler.after(usFromMs(clients.spec.gatewayTimeoutMs), this.timeoutHandler, handle);
    // The incarnation the client picked: it may have departed since, which the client learns only by its silence.
    const client = gateway === -1 ? NO_GATEWAY : (asker.gatewayIncarnation as StorageClient);
    this.pending.set(handle, { kind, startUs, client, key, value, ttlMs, timeout, asker, attempt, onPut, onGet });
    if (gateway !== -1) this.scheduler.after(clients.delayUs(asker), this.arrival, handle);
  }

  /**
   * A client's request reached its gateway: if that incarnation is still there, it takes the operation on. A put
   * or remove asks for the TTL that remains of the value's (a gateway stamps the TTL as the request arrives), so a
   * value tried again expires when its client meant it to, as the value oracle expects.
   */
  private reachGateway(handle: OpHandle): void {
    const op = this.pending.get(handle);
    if (op === undefined || !op.client.active) return;
    const node = this.host.storage(op.client.address);
    if (node === null) return;
    let ttlMs = op.ttlMs;
    if (op.kind !== GET) {
      ttlMs = msFromUs((op.value as PutValue).expiresUs - this.scheduler.nowUs);
      // Tried again past its TTL: nothing is left to store.
      if (ttlMs <= 0) return this.endPut(handle, op, "failed", null, null);
    }
    if (!this.invariants.enabled) return this.call(node, handle, op.kind, op.key, op.value, ttlMs, (op.asker as Client).index);
    try {
      this.call(node, handle, op.kind, op.key, op.value, ttlMs, (op.asker as Client).index);
    } catch (error) {
      throw messageChanged(error, this.invariants, this.scheduler.nowUs, op.client.id);
    }
  }

  /** `client`: the identity fair admission counts the put under — the client's, or the node's address. */
  private call(node: StorageNode, handle: OpHandle, kind: OpKind, key: Id, value: PutValue | null, ttlMs: number, client: number): void {
    if (kind === GET) return node.get(handle, key);
    const v = value as PutValue;
    if (kind === PUT) node.put(handle, key, { valueHash: v.valueHash, size: v.size, secretHash: v.noSecret === true ? 0 : hashSecret(v.secret), client }, ttlMs);
    else node.remove(handle, key, v.valueHash, v.secret, ttlMs);
  }

  // Ending

  private timedOut(handle: OpHandle): void {
    const op = this.pending.get(handle);
    if (op === undefined) return;
    const asker = op.asker;
    if (asker !== null) {
      const clients = this.clients as ClientPopulation;
      // Its gateway said nothing in time: the client moves to another and, if it has tries left, tries there.
      if (asker.gateway === op.client.address) clients.gatewaySilent(asker);
      if (op.attempt < clients.spec.attempts) {
        this.pending.delete(handle);
        return this.launchClientOp(op.kind, asker, op.key, op.value, op.ttlMs, op.startUs, op.attempt + 1, op.onPut, op.onGet);
      }
    }
    if (op.kind === GET) this.endGet(handle, op, null, null, null, true);
    else this.endPut(handle, op, "timeout", null, null);
  }

  private endPut(handle: OpHandle, op: PendingOp, status: PutStatus, acks: number | null, attempts: number | null): void {
    this.pending.delete(handle);
    if (status !== "timeout") this.scheduler.cancel(op.timeout);
    if (op.onPut !== null) return op.onPut(status === "timeout" ? "failed" : status);
    const v = op.value as PutValue;
    const now = this.scheduler.nowUs;
    // Clients do not churn: their operations always end for someone to judge.
    const clientAlive = op.asker !== null || op.client.active;
    if (op.kind === PUT) {
      if (status === "ok") {
        v.acked = true;
        this.oracle.putAcked(v.key, v.valueHash, v.expiresUs, now);
        if (!v.gone && !v.removing) this.removable.add(v);
      }
      // A put not acked may still be stored somewhere: its key counts as live until it expires.
    } else if (status === "ok") {
      this.oracle.removeAcked(v.key, v.valueHash, now);
      this.retire(v);
    } else if (status === "failed" || clientAlive) {
      // Refused or timed out: the value may be removed again. (Abandoned, whether it was removed is unknown.)
      v.removing = false;
      if (!v.gone) this.removable.add(v);
    }
    if (!clientAlive) {
      this.recorder.opsAbandoned++;
      return;
    }
    const endUs = now + this.backDelayUs(op, status === "timeout");
    if (op.asker !== null && op.kind === PUT) {
      (this.clientMetrics as ClientMetrics).putEnded(op.asker.index, msFromUs(op.startUs), status, v.size, op.ttlMs / 1000, !v.gone);
    }
    this.recorder.putEnded({
      startMs: msFromUs(op.startUs),
      endMs: msFromUs(endUs),
      source: op.client.id,
      key: op.key,
      valueHash: v.valueHash,
      op: op.kind === PUT ? "put" : "remove",
      ttlMs: op.ttlMs,
      valueBytes: op.kind === PUT ? v.size : 0,
      status,
      acks,
      attempts,
    });
  }

  private endGet(
    handle: OpHandle,
    op: PendingOp,
    values: readonly number[] | null,
    replicasContacted: number | null,
    attempts: number | null,
    timedOut: boolean,
  ): void {
    this.pending.delete(handle);
    if (!timedOut) this.scheduler.cancel(op.timeout);
    if (op.onGet !== null) return op.onGet(timedOut ? null : values);
    if (op.asker === null && !op.client.active) {
      this.recorder.opsAbandoned++;
      return;
    }
    const now = this.scheduler.nowUs;
    const j = this.oracle.judge(op.key, values, op.startUs, now);
    if (this.invariants.enabled && j.expired > 0) {
      this.invariants.fail(`a get of ${op.key} returned ${j.expired} values past their TTL before it started`, now, op.client.id);
    }
    const status = timedOut ? "timeout" : j.status;
    if (op.asker !== null) (this.clientMetrics as ClientMetrics).getEnded(op.asker.index, msFromUs(op.startUs), status === "complete");
    this.recorder.getEnded({
      startMs: msFromUs(op.startUs),
      endMs: msFromUs(now + this.backDelayUs(op, timedOut)),
      source: op.client.id,
      key: op.key,
      status,
      expected: j.expected,
      returned: j.returned,
      missing: j.missing,
      stale: j.stale,
      replicasContacted,
      attempts,
    });
  }

  /** How long a gateway's answer takes to reach the client that asked (nothing for nodes, or with no answer). */
  private backDelayUs(op: PendingOp, unanswered: boolean): number {
    return op.asker === null || unanswered ? 0 : (this.clients as ClientPopulation).delayUs(op.asker);
  }

  // Bookkeeping

  /** Values past their TTL no longer count for their key; recent puts older than `recentMs` are dropped. */
  private expire(): void {
    const now = this.scheduler.nowUs;
    while (this.expiries.nextTime <= now) this.retire(this.expiries.pop() as PutValue);
    const oldest = now - usFromMs(this.spec.recentMs);
    const times = this.recentTimes;
    while (this.recentHead < times.length && times[this.recentHead] < oldest) this.recentHead++;
    // Drop the consumed prefix now and then, so the arrays follow the puts of the last `recentMs`, not the run.
    if (this.recentHead > 1024 && this.recentHead * 2 > times.length) {
      this.recentKeys = this.recentKeys.slice(this.recentHead);
      this.recentTimes = times.slice(this.recentHead);
      this.recentHead = 0;
    }
  }

  /** The value expired or was removed. */
  private retire(v: PutValue): void {
    if (v.gone) return;
    v.gone = true;
    if (v.acked && v.client >= 0) (this.clientMetrics as ClientMetrics).valueGone(v.client, v.size);
    this.removable.delete(v);
    this.countLive(v.key, -1);
  }

  private countLive(key: Id, delta: 1 | -1): void {
    const n = (this.liveByKey.get(key) ?? 0) + delta;
    if (n === 0) {
      this.liveByKey.delete(key);
      this.liveKeys.delete(key);
      this.openKeys.delete(key);
      return;
    }
    this.liveByKey.set(key, n);
    this.liveKeys.add(key);
    if (n < this.spec.valuesPerKey) this.openKeys.add(key);
    else this.openKeys.delete(key);
  }
}
