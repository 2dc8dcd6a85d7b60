import type { LiveSet } from "../churn/live-set.js";
import { messageChanged } from "../engine/frozen-messages.js";
import type { Invariants } from "../engine/invariants.js";
import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import type { ClientMetrics } from "../metrics/client-metrics.js";
import type { GetRecord, PutRecord, PutStatus } from "../metrics/storage-metrics.js";
import type { Id } from "../runtime/ids.js";
import type { Address } from "../runtime/node-runtime.js";
import { hashSecret, type OpHandle, type PutOutcome, type StorageNode } from "../runtime/storage-layer.js";
import type { StorageWorkloadSpec } from "../scenario/storage-spec.js";
import { ClientOperations } from "./client-operations.js";
import type { ClientPopulation } from "./client-population.js";
import { GET, type OpKind, type PendingOp, PUT, REMOVE, type StorageClient } from "./storage-operation.js";
import type { ValueOracle } from "./value-oracle.js";
import { type PutValue, WorkloadValues } from "./workload-values.js";

export type { StorageClient } from "./storage-operation.js";

/**
 * The storage workload: every joined node puts values and gets keys, each as a Poisson process, and now and then
 * removes a value it put. With a client population (OpenDHT's clients) the clients do so instead, through their
 * gateways (ClientOperations). Each operation ends exactly once — reported by the node's storage layer, or timed
 * out — and is recorded; gets are judged against the value oracle, which the workload tells of every put issued
 * and every put and remove acked.
 *
 * The simulation's part:
 *   const workload = new StorageWorkload(scenario.storage.workload, host, oracle, scheduler, root.fork("storage-workload"),
 *     storageMetrics, invariants);
 *   workload.start(joinPhaseMs, durationMs);   // as the lookup workload
 *   StorageReports.putEnded(handle, …) → workload.putEnded(handle, ok, acks, attempts)
 *   StorageReports.getEnded(handle, …) → workload.getEnded(handle, values, replicasContacted, attempts)
 *   after the run: drain while workload.pendingOps > 0 (each ends by its timeout at the latest).
 */

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

export class StorageWorkload {
  /** The clients' side, when the run has a client population. */
  readonly clientOperations: ClientOperations | null;
  private readonly values: WorkloadValues;
  private readonly pending = new Map<OpHandle, PendingOp>();
  private nextHandle = 0;
  private stopUs = Infinity;

  private readonly timeoutHandler = (handle: OpHandle) => this.timedOut(handle);
  private readonly putTick = () => this.issuePut();
  private readonly getTick = () => this.issueGet();

  constructor(
    private readonly spec: StorageWorkloadSpec,
    private readonly host: StorageWorkloadHost,
    private readonly oracle: ValueOracle,
    private readonly scheduler: Scheduler,
    private readonly rng: SeededRandom,
    private readonly recorder: StorageRecorder,
    private readonly invariants: Invariants,
    clients: ClientPopulation | null = null,
    clientMetrics: ClientMetrics | null = null,
  ) {
    this.values = new WorkloadValues(spec, oracle, scheduler, rng, clientMetrics);
    this.clientOperations =
      clients === null
        ? null
        : new ClientOperations(clients, clientMetrics, spec, this.values, {
            open: (timeoutMs, op) => this.open(timeoutMs, op),
            pending: (handle) => this.pending.get(handle),
            forget: (handle) => void this.pending.delete(handle),
            storage: (address) => this.host.storage(address),
            deliver: (node, handle, op, ttlMs, identity) => this.deliver(node, handle, op, ttlMs, identity),
            endPut: (handle, op, status, acks, attempts) => this.endPut(handle, op, status, acks, attempts),
          }, scheduler, rng);
  }

  /** Operations started and not ended yet (a client's waiting to try again after AGAIN among them). */
  get pendingOps(): number {
    return this.pending.size + (this.clientOperations?.retrying ?? 0);
  }

  /** Keys holding a live value this workload put. */
  get liveKeyCount(): number {
    return this.values.liveKeyCount;
  }

  /** Operations are issued from `startMs` until `stopMs`; those in progress at `stopMs` still run to their end. */
  start(startMs: number, stopMs: number): void {
    this.stopUs = usFromMs(stopMs);
    const clients = this.clientOperations;
    if (clients !== null) {
      clients.start(startMs, this.stopUs);
      if (clients.replacesNodes) return;
    }
    this.scheduler.schedule(usFromMs(startMs), this.putTick);
    this.scheduler.schedule(usFromMs(startMs), this.getTick);
  }

  /** The node's storage layer reported a put or remove ended; later reports (after a timeout) are ignored. */
  putEnded(handle: OpHandle, outcome: PutOutcome, acks: number, attempts: number): void {
    const op = this.pending.get(handle);
    if (op === undefined || op.kind === GET) return;
    if (outcome === "again" && op.asker !== null && (this.clientOperations as ClientOperations).answeredAgain(handle, op)) return;
    this.endPut(handle, op, outcome, acks, attempts);
  }

  /** The node's storage layer reported a get ended with these values (null: it failed). */
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
    this.values.expire();
    const joined = this.host.joined;
    if (joined.size > 0) {
      const address = joined.at(this.rng.int(joined.size));
      const remove = this.rng.next() < this.spec.removeFraction;
      if (remove && this.values.removableCount > 0) {
        const value = this.values.takeForRemove();
        this.launch(REMOVE, address, value.key, value, this.values.removeTtlMs(value));
      } else {
        const value = this.values.newValue(this.spec.valueBytes, this.spec.ttlMs, -1);
        this.launch(PUT, address, value.key, value, value.ttlMs);
      }
    }
    const gap = usFromMs(this.rng.exponential(this.spec.putIntervalMs / Math.max(1, joined.size)));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.putTick);
  }

  private issueGet(): void {
    this.values.expire();
    const joined = this.host.joined;
    if (joined.size > 0) {
      const address = joined.at(this.rng.int(joined.size));
      const key = this.values.keyToGet();
      // Nothing stored yet: no get.
      if (key !== null) this.launch(GET, address, key, null, 0);
    }
    const gap = usFromMs(this.rng.exponential(this.spec.getIntervalMs / Math.max(1, joined.size)));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.getTick);
  }

  /** A node's own operation, handed to its storage layer at once. */
  private launch(kind: OpKind, address: Address, key: Id, value: PutValue | null, ttlMs: number): void {
    const client = this.host.runtime(address);
    // Pending before the call: a layer may report at once.
    const handle = this.open(this.spec.timeoutMs, { kind, startUs: this.scheduler.nowUs, client, key, value, ttlMs, asker: null, attempt: 1, onPut: null, onGet: null });
    const node = this.host.storage(address);
    if (node === null) return;
    this.deliver(node, handle, this.pending.get(handle) as PendingOp, ttlMs, address);
  }

  // The pipeline every operation runs through, a node's or a client's

  private open(timeoutMs: number, op: Omit<PendingOp, "timeout">): OpHandle {
    const handle = this.nextHandle++;
    const timeout = this.scheduler.after(usFromMs(timeoutMs), this.timeoutHandler, handle);
    this.pending.set(handle, { ...op, timeout });
    return handle;
  }

  /** With invariants on, a message changed after it was sent is reported against the node that took the operation on. */
  private deliver(node: StorageNode, handle: OpHandle, op: PendingOp, ttlMs: number, identity: number): void {
    if (!this.invariants.enabled) return this.call(node, handle, op.kind, op.key, op.value, ttlMs, identity);
    try {
      this.call(node, handle, op.kind, op.key, op.value, ttlMs, identity);
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
    if (op.asker !== null && (this.clientOperations as ClientOperations).gatewayTimedOut(handle, op)) return;
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
      // A put not acked may still be stored somewhere: its key counts as live until it expires.
      if (status === "ok") this.values.putAcked(v, now);
    } else if (status === "ok") {
      this.values.removeAcked(v, now);
    } else if (status === "failed" || clientAlive) {
      // Refused or timed out: the value may be removed again. (Abandoned, whether it was removed is unknown.)
      this.values.removeUnsettled(v);
    }
    if (!clientAlive) {
      this.recorder.opsAbandoned++;
      return;
    }
    const endUs = now + this.backDelayUs(op, status === "timeout");
    if (op.asker !== null) (this.clientOperations as ClientOperations).putEnded(op, status);
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
    if (op.asker !== null) (this.clientOperations as ClientOperations).getEnded(op, status === "complete");
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

  /** How long the answer takes to reach whoever asked: nothing for a node's own operation. */
  private backDelayUs(op: PendingOp, unanswered: boolean): number {
    return op.asker === null ? 0 : (this.clientOperations as ClientOperations).answerDelayUs(op.asker, unanswered);
  }
}
