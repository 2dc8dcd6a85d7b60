import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import type { ClientMetrics } from "../metrics/client-metrics.js";
import type { PutStatus } from "../metrics/storage-metrics.js";
import type { ServicePutStatus } from "../runtime/client-application.js";
import type { Id } from "../runtime/ids.js";
import type { OpHandle } from "../runtime/storage-layer.js";
import type { StorageWorkloadSpec } from "../scenario/storage-spec.js";
import type { Client, ClientPopulation } from "./client-population.js";
import { GET, type OpKind, type OperationPipeline, type PendingOp, PUT, REMOVE, type StorageClient } from "./storage-operation.js";
import type { PutValue, WorkloadValues } from "./workload-values.js";

/** The gateway of a client that has none yet (no node has joined): its tries go nowhere and time out. */
const NO_GATEWAY: StorageClient = { active: false, address: -1, id: "" };

/**
 * The client side of OpenDHT's service: clients, apart from the DHT's nodes, put, remove and get through their
 * gateways, each client group as its own Poisson processes, and applications on clients (ReDiR) do so too. A
 * client tries an operation again after AGAIN (after `againDelay`, through the same gateway) or when its gateway
 * is silent for `gatewayTimeout` (through another), up to `attempts` tries; its operations are never abandoned,
 * since clients do not churn. Each try runs through the workload's operation pipeline, which ends and records it.
 */
export class ClientOperations {
  private stopUs = Infinity;
  private readonly groupPutTicks: Array<() => void>;
  private readonly groupGetTicks: Array<() => void>;
  /** A client's request reaching its gateway, one way later. */
  private readonly arrival = (handle: OpHandle) => this.reachGateway(handle);
  private readonly retry = (op: PendingOp) => {
    this.retrying--;
    this.launch(op.kind, op.asker as Client, op.key, op.value, op.ttlMs, op.startUs, op.attempt + 1, op.onPut, op.onGet);
  };
  /** Operations waiting to be tried again after AGAIN: under way, though in no try. */
  retrying = 0;

  constructor(
    private readonly clients: ClientPopulation,
    private readonly metrics: ClientMetrics | null,
    private readonly spec: StorageWorkloadSpec,
    private readonly values: WorkloadValues,
    private readonly pipeline: OperationPipeline,
    private readonly scheduler: Scheduler,
    private readonly rng: SeededRandom,
  ) {
    const groups = clients.spec.groups;
    this.groupPutTicks = groups.map((_, g) => () => this.issuePut(g));
    this.groupGetTicks = groups.map((_, g) => () => this.issueGet(g));
  }

  /** Client groups issue in place of the nodes; an application's clients alone (ReDiR's) leave the nodes theirs. */
  get replacesNodes(): boolean {
    return this.clients.spec.groups.length > 0;
  }

  /** The groups issue from `startMs` until `stopUs`; applications' operations are refused from `stopUs` on. */
  start(startMs: number, stopUs: number): void {
    this.stopUs = stopUs;
    this.clients.spec.groups.forEach((g, i) => {
      this.scheduler.schedule(usFromMs(startMs), this.groupPutTicks[i]);
      if (g.getIntervalMs > 0) this.scheduler.schedule(usFromMs(startMs), this.groupGetTicks[i]);
    });
  }

  /**
   * An application's put through a client's gateway (ReDiR registering a member), with the client's tries; not a
   * value of the workload's, so neither recorded nor judged. Refused once the run is over (`done` at once).
   */
  servicePut(asker: Client, key: Id, valueHash: number, size: number, ttlMs: number, done: (status: ServicePutStatus) => void): void {
    if (this.scheduler.nowUs >= this.stopUs) return done("failed");
    const now = this.scheduler.nowUs;
    const value: PutValue = { key, valueHash, secret: 0, noSecret: true, size, expiresUs: now + usFromMs(ttlMs), client: -1, acked: false, gone: false, removing: false };
    this.launch(PUT, asker, key, value, ttlMs, now, 1, done, null);
  }

  /** An application's get through a client's gateway, with the client's tries. */
  serviceGet(asker: Client, key: Id, done: (values: readonly number[] | null) => void): void {
    if (this.scheduler.nowUs >= this.stopUs) return done(null);
    this.launch(GET, asker, key, null, 0, this.scheduler.nowUs, 1, null, done);
  }

  /** A client group's puts (and removes taking some of their turns): one Poisson process of rate count/putInterval. */
  private issuePut(group: number): void {
    this.values.expire();
    const g = this.clients.spec.groups[group];
    const remove = this.rng.next() < this.spec.removeFraction;
    if (remove && this.values.removableCount > 0) {
      // The client that put the value is the one that knows its secret.
      const value = this.values.takeForRemove();
      const ttlMs = this.values.removeTtlMs(value);
      this.launch(REMOVE, this.clients.clients[value.client], value.key, value, ttlMs, this.scheduler.nowUs, 1);
    } else {
      const client = this.clients.pick(group);
      const value = this.values.newValue(g.valueBytes, g.ttlMs, client.index);
      this.launch(PUT, client, value.key, value, value.ttlMs, this.scheduler.nowUs, 1);
    }
    const gap = usFromMs(this.rng.exponential(g.putIntervalMs / g.count));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.groupPutTicks[group]);
  }

  private issueGet(group: number): void {
    this.values.expire();
    const g = this.clients.spec.groups[group];
    const key = this.values.keyToGet();
    if (key !== null) this.launch(GET, this.clients.pick(group), key, null, 0, this.scheduler.nowUs, 1);
    const gap = usFromMs(this.rng.exponential(g.getIntervalMs / g.count));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.groupGetTicks[group]);
  }

  /**
   * A client's try of an operation begun at `startUs`: sent to its gateway (picked now if it has none), where it
   * arrives one way later; unanswered after gatewayTimeout, it is tried again through another gateway.
   */
  private launch(
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
    const gateway = this.clients.gatewayOf(asker);
    // The incarnation the client picked: it may have departed since, which the client learns only by its silence.
    const client = gateway === -1 ? NO_GATEWAY : (asker.gatewayIncarnation as StorageClient);
    const handle = this.pipeline.open(this.clients.spec.gatewayTimeoutMs, { kind, startUs, client, key, value, ttlMs, asker, attempt, onPut, onGet });
    if (gateway !== -1) this.scheduler.after(this.clients.delayUs(asker), this.arrival, handle);
  }

  /**
   * A client's request reached its gateway: if that incarnation is still there, it takes the operation on. A put
   * or remove asks for the TTL that remains of the value's (a gateway stamps the TTL as the request arrives), so a
   * value tried again expires when its client meant it to, as the value oracle expects.
   */
  private reachGateway(handle: OpHandle): void {
    const op = this.pipeline.pending(handle);
    if (op === undefined || !op.client.active) return;
    const node = this.pipeline.storage(op.client.address);
    if (node === null) return;
    let ttlMs = op.ttlMs;
    if (op.kind !== GET) {
      ttlMs = msFromUs((op.value as PutValue).expiresUs - this.scheduler.nowUs);
      // Tried again past its TTL: nothing is left to store.
      if (ttlMs <= 0) return this.pipeline.endPut(handle, op, "failed", null, null);
    }
    this.pipeline.deliver(node, handle, op, ttlMs, (op.asker as Client).index);
  }

  /**
   * The gateway answered AGAIN: with tries left, the answer travels back to the client, which waits againDelay
   * and tries the same gateway again (true); else the operation ends as it is (false).
   */
  answeredAgain(handle: OpHandle, op: PendingOp): boolean {
    if (op.attempt >= this.clients.spec.attempts) return false;
    this.pipeline.forget(handle);
    this.scheduler.cancel(op.timeout);
    const backUs = this.clients.delayUs(op.asker as Client);
    this.retrying++;
    this.scheduler.after(backUs + usFromMs(this.clients.spec.againDelayMs), this.retry, op);
    return true;
  }

  /** Its gateway said nothing in time: the client moves to another and, with tries left, tries there (true). */
  gatewayTimedOut(handle: OpHandle, op: PendingOp): boolean {
    const asker = op.asker as Client;
    if (asker.gateway === op.client.address) this.clients.gatewaySilent(asker);
    if (op.attempt >= this.clients.spec.attempts) return false;
    this.pipeline.forget(handle);
    this.launch(op.kind, asker, op.key, op.value, op.ttlMs, op.startUs, op.attempt + 1, op.onPut, op.onGet);
    return true;
  }

  /** How long a gateway's answer takes to reach the client that asked (nothing when none came). */
  answerDelayUs(asker: Client, unanswered: boolean): number {
    return unanswered ? 0 : this.clients.delayUs(asker);
  }

  /** A client group's put ended: the client's figures (its storage, while the value lives). */
  putEnded(op: PendingOp, status: PutStatus): void {
    const v = op.value as PutValue;
    if (op.kind === PUT) (this.metrics as ClientMetrics).putEnded((op.asker as Client).index, msFromUs(op.startUs), status, v.size, op.ttlMs / 1000, !v.gone);
  }

  getEnded(op: PendingOp, complete: boolean): void {
    (this.metrics as ClientMetrics).getEnded((op.asker as Client).index, msFromUs(op.startUs), complete);
  }
}
