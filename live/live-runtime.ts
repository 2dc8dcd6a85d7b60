import type { Id } from "../sim/runtime/ids.js";
import type { Address, Contact, Counter, LookupHandle, Sample, TimerHandle } from "../sim/runtime/node-runtime.js";
import type { OpHandle, PutOutcome } from "../sim/runtime/storage-layer.js";
import type { HostedRuntime, IncarnationContext } from "../sim/simulation/live-environment.js";
import type { NodeCpu } from "./node-cpu.js";
import type { WallClock } from "./wall-clock.js";

/**
 * NodeRuntime on the real clock and Node's own timers: what a deployed node would have. Messages go through the
 * simulation's network model to the sockets; reports go to the same workload and metrics as in simulation. There
 * is no oracle: `oracleRttMs` is absent, as on any real network.
 */
export class LiveRuntime implements HostedRuntime {
  active = true;
  readonly address: Address;
  readonly id: Id;
  readonly random: IncarnationContext["random"];
  private lastHandle = 0;
  private readonly timers = new Map<TimerHandle, NodeJS.Timeout>();
  private readonly fire = (handle: TimerHandle, callback: (arg: unknown) => void, arg: unknown) => {
    this.timers.delete(handle);
    if (!this.active) return;
    // Code outside the scheduler's events: bring the simulation up to now first (it may end this incarnation).
    this.context.catchUp();
    if (!this.active) return;
    const start = performance.now(); // wall-clock ok: CPU accounting
    try {
      callback(arg);
    } catch (e) {
      this.failed(e);
    }
    this.cpu.charge(this.address, performance.now() - start); // wall-clock ok
  };

  constructor(
    private readonly context: IncarnationContext,
    private readonly clock: WallClock,
    private readonly cpu: NodeCpu,
    /** An exception thrown by protocol code in a timer: the run fails with it. */
    private readonly failed: (error: unknown) => void,
  ) {
    this.address = context.node.address;
    this.id = context.node.id;
    this.random = context.random;
  }

  now(): number {
    return this.clock.nowUs() / 1000;
  }

  send(to: Address, message: unknown, bytes: number, category: string): void {
    if (!this.active) return;
    if (!(bytes >= 0)) throw new RangeError(`send: bytes must be a non-negative number, got ${bytes}`);
    this.context.send(to, message, bytes, category);
  }

  setTimer<A = undefined>(delayMs: number, callback: (arg: A) => void, arg?: A): TimerHandle {
    const handle = ++this.lastHandle;
    this.timers.set(handle, setTimeout(this.fire, Math.max(0, delayMs), handle, callback as (arg: unknown) => void, arg));
    return handle;
  }

  cancelTimer(handle: TimerHandle): void {
    const timer = this.timers.get(handle);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(handle);
  }

  /** The incarnation has departed: none of its timers may fire. */
  depart(): void {
    this.active = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  bootstrap(): Contact | null {
    return this.context.listener.bootstrap(this.context.node);
  }

  reportJoined(): void {
    if (this.active && !this.context.node.joined) this.context.listener.nodeJoined(this.context.node);
  }

  reportLookup(handle: LookupHandle, owner: Id | null, hops: number): void {
    if (this.active) this.context.listener.lookupEnded(handle, owner, hops);
  }

  counter(name: string): Counter {
    return this.context.listener.counter(name);
  }

  sample(name: string): Sample {
    return this.context.listener.sample(name);
  }

  putEnded(handle: OpHandle, outcome: PutOutcome, acks: number, attempts: number): void {
    if (this.active) this.context.listener.storagePutEnded(handle, outcome, acks, attempts);
  }

  getEnded(handle: OpHandle, values: readonly number[] | null, replicasContacted: number, attempts: number): void {
    if (this.active) this.context.listener.storageGetEnded(handle, values, replicasContacted, attempts);
  }

  held(key: Id, valueHash: number, remove: boolean, delta: 1 | -1): void {
    if (this.active) this.context.listener.storageHeld(this.context.node, key, valueHash, remove, delta);
  }
}
