import type { Invariants } from "../engine/invariants.js";
import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import type { SimNode } from "../engine/sim-node.js";
import { msFromUs, timerDelayUs } from "../engine/sim-time.js";
import type { Network } from "../network/network.js";
import type { Traffic } from "../network/traffic.js";
import type { Id } from "../runtime/ids.js";
import type { Address, Contact, Counter, LookupHandle, NodeRuntime, Sample, TimerHandle } from "../runtime/node-runtime.js";
import type { OpHandle, PutOutcome, StorageReports } from "../runtime/storage-layer.js";
import { freezeMessage, messageChanged } from "../engine/frozen-messages.js";

/** What a node's runtime reports back to the simulation that owns it. */
export interface RuntimeListener {
  bootstrap(asker: SimNode): Contact | null;
  trueRttMs(from: SimNode, to: Address): number | null;
  nodeJoined(node: SimNode): void;
  lookupEnded(handle: LookupHandle, owner: Id | null, hops: number): void;
  counter(name: string): Counter;
  sample(name: string): Sample;
  storagePutEnded(handle: OpHandle, outcome: PutOutcome, acks: number, attempts: number): void;
  storageGetEnded(handle: OpHandle, values: readonly number[] | null, replicasContacted: number, attempts: number): void;
  storageHeld(node: SimNode, key: Id, valueHash: number, remove: boolean, delta: 1 | -1): void;
}

/**
 * The engine's implementation of NodeRuntime for one incarnation of one node. When the node departs the
 * runtime goes inactive: its timers stop firing and its sends and reports are ignored, so a dead node stays dead
 * even if its protocol object still holds callbacks.
 */
export class EngineRuntime implements NodeRuntime, StorageReports {
  active = true;
  readonly address: Address;
  readonly id: Id;
  // One trampoline per incarnation, so a timer costs no allocation beyond the protocol's own callback.
  private readonly fireTimer = (callback: (arg: unknown) => void, arg: unknown) => {
    if (!this.active) return;
    if (this.invariants.enabled) this.invariants.time(this.scheduler.nowUs, this.node.label);
    callback(arg);
  };
  /** With invariants on: timers cancelled and not yet due, which must never fire. */
  private readonly cancelled: Set<TimerHandle> | null;
  /** With invariants on: this incarnation's timers not yet fired or cancelled, the only ones it may cancel. */
  private readonly own: Set<TimerHandle> | null;
  private readonly fireCheckedTimer = (timer: { handle: TimerHandle; callback: (arg: unknown) => void }, arg: unknown) => {
    this.own?.delete(timer.handle);
    if (this.cancelled?.delete(timer.handle)) {
      this.invariants.fail(`a cancelled timer fired (handle ${timer.handle})`, this.scheduler.nowUs, this.node.label);
    }
    try {
      this.fireTimer(timer.callback, arg);
    } catch (e) {
      throw messageChanged(e, this.invariants, this.scheduler.nowUs, this.node.label);
    }
  };

  constructor(
    private readonly node: SimNode,
    readonly random: SeededRandom,
    private readonly scheduler: Scheduler,
    private readonly network: Network,
    private readonly traffic: Traffic,
    private readonly listener: RuntimeListener,
    private readonly invariants: Invariants,
  ) {
    this.address = node.address;
    this.id = node.id;
    this.cancelled = invariants.enabled ? new Set() : null;
    this.own = invariants.enabled ? new Set() : null;
  }

  now(): number {
    return msFromUs(this.scheduler.nowUs);
  }

  send(to: Address, message: unknown, bytes: number, category: string): void {
    if (!this.active) return;
    if (!(bytes >= 0)) throw new RangeError(`send: bytes must be a non-negative number, got ${bytes}`);
    if (this.invariants.enabled) freezeMessage(message);
    this.network.send(this.node, to, message, bytes, this.traffic.category(category));
  }

  setTimer<A = undefined>(delayMs: number, callback: (arg: A) => void, arg?: A): TimerHandle {
    // A protocol's delay (an RTO, a jittered period) is rounded to whole µs here, once.
    if (!this.invariants.enabled) return this.scheduler.after(timerDelayUs(delayMs), this.fireTimer, callback, arg);
    const timer = { handle: -1, callback: callback as (arg: unknown) => void };
    timer.handle = this.scheduler.after(timerDelayUs(delayMs), this.fireCheckedTimer, timer, arg);
    this.own?.add(timer.handle);
    return timer.handle;
  }

  cancelTimer(handle: TimerHandle): void {
    if (this.own !== null) {
      // A handle still pending that this incarnation did not set is another node's timer (or the engine's).
      if (!this.own.delete(handle) && this.scheduler.isPending(handle)) {
        this.invariants.fail(`cancelTimer was given a timer this node did not set (handle ${handle})`, this.scheduler.nowUs, this.node.label);
      }
    }
    if (this.scheduler.cancel(handle)) this.cancelled?.add(handle);
  }

  bootstrap(): Contact | null {
    return this.listener.bootstrap(this.node);
  }

  reportJoined(): void {
    if (this.active && !this.node.joined) this.listener.nodeJoined(this.node);
  }

  oracleRttMs(to: Address): number | null {
    return this.listener.trueRttMs(this.node, to);
  }

  reportLookup(handle: LookupHandle, owner: Id | null, hops: number): void {
    if (this.active) this.listener.lookupEnded(handle, owner, hops);
  }

  // The run's shared handles, not this incarnation's: a departed node's protocol code no longer runs anyway.
  counter(name: string): Counter {
    return this.listener.counter(name);
  }

  sample(name: string): Sample {
    return this.listener.sample(name);
  }

  // StorageReports: the storage layer's reports, ignored once this incarnation has departed (the engine then
  // accounts for its disk as a whole).

  putEnded(handle: OpHandle, outcome: PutOutcome, acks: number, attempts: number): void {
    if (this.active) this.listener.storagePutEnded(handle, outcome, acks, attempts);
  }

  getEnded(handle: OpHandle, values: readonly number[] | null, replicasContacted: number, attempts: number): void {
    if (this.active) this.listener.storageGetEnded(handle, values, replicasContacted, attempts);
  }

  held(key: Id, valueHash: number, remove: boolean, delta: 1 | -1): void {
    if (this.active) this.listener.storageHeld(this.node, key, valueHash, remove, delta);
  }
}
