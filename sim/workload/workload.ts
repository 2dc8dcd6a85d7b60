import type { LiveSet } from "../churn/live-set.js";
import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import { messageChanged } from "../engine/frozen-messages.js";
import type { Invariants } from "../engine/invariants.js";
import type { SimNode } from "../engine/sim-node.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import type { LookupRecord, LookupStatus } from "../metrics/metrics.js";
import type { Id } from "../runtime/ids.js";
import type { Address, LookupHandle } from "../runtime/node-runtime.js";
import type { OwnerOracle } from "./oracle.js";

export interface WorkloadOptions {
  lookupIntervalMs: number;
  lookupTimeoutMs: number;
  probeIntervalMs: number;
  probeSize: number;
  /** p2psim's retried lookups (see `end`); null or absent: none. */
  retry?: { everyMs: number; untilMs: number } | null;
}

/** The incarnation a lookup was started on: whether it is still alive, and who it is. */
export interface LookupSource {
  readonly active: boolean;
  readonly address: Address;
  readonly id: Id;
}

/** What the workload needs from the simulation. */
export interface WorkloadHost {
  /** Live nodes that have joined the overlay, by address. */
  readonly joined: LiveSet;
  node(address: number): SimNode;
  runtime(address: number): LookupSource;
  /** Round trip between a node and the live node with identifier `id`, or null when there is none. */
  directRttMs(from: SimNode, to: Id): number | null;
}

interface PendingLookup {
  handle: LookupHandle;
  startUs: number;
  /** Attempts so far: 1, and more with retries on. */
  attempts: number;
  runtime: LookupSource;
  key: Id;
  probeGroup: number;
  timeout: number;
}

/**
 * The lookup workload: every joined node looks up random keys as a Poisson process, and every probe interval
 * a group of random nodes looks up the same key at the same moment (a consistency probe). Each lookup ends
 * exactly once — reported by the protocol, or timed out — and is judged against the oracle's owner of its key
 * at that moment.
 */
export class Workload {
  private readonly pending = new Map<LookupHandle, PendingLookup>();
  private nextHandle = 0;
  private nextProbeGroup = 0;
  private stopUs = Infinity;
  private readonly timeoutHandler = (handle: LookupHandle) => this.end(handle, null, 0, "timeout");
  private readonly lookupTick = () => this.issueRandomLookup();
  private readonly probeTick = () => this.issueProbe();
  /** Lookups waiting to be asked again (retries on): still in progress, though no attempt is out. */
  private waiting = 0;
  private readonly retryHandler = (lookup: PendingLookup) => this.retry(lookup);

  constructor(
    private readonly options: WorkloadOptions,
    private readonly host: WorkloadHost,
    private readonly oracle: OwnerOracle,
    private readonly scheduler: Scheduler,
    private readonly rng: SeededRandom,
    private readonly record: (r: LookupRecord) => void,
    private readonly abandoned: () => void,
    private readonly invariants: Invariants,
  ) {}

  get pendingLookups(): number {
    return this.pending.size + this.waiting;
  }

  /** Lookups are issued from `startMs` until `stopMs`; those in progress at `stopMs` still run to their end. */
  start(startMs: number, stopMs: number): void {
    this.stopUs = usFromMs(stopMs);
    this.scheduler.schedule(usFromMs(startMs), this.lookupTick);
    if (this.options.probeSize > 0) this.scheduler.schedule(usFromMs(startMs) + usFromMs(this.options.probeIntervalMs), this.probeTick);
  }

  /**
   * The superposition of one Poisson process per joined node is a Poisson process of rate J/interval; J is
   * taken when each gap is drawn, which follows the joined population as it changes.
   */
  private issueRandomLookup(): void {
    const joined = this.host.joined;
    if (joined.size > 0) this.launch(joined.at(this.rng.int(joined.size)), this.rng.bits160hex(), -1);
    const gap = usFromMs(this.rng.exponential(this.options.lookupIntervalMs / Math.max(1, joined.size)));
    if (this.scheduler.nowUs + gap < this.stopUs) this.scheduler.after(gap, this.lookupTick);
  }

  private issueProbe(): void {
    const joined = this.host.joined;
    const size = Math.min(this.options.probeSize, joined.size);
    if (size > 0) {
      const group = this.nextProbeGroup++;
      const key = this.rng.bits160hex();
      const chosen = new Set<number>();
      while (chosen.size < size) chosen.add(joined.at(this.rng.int(joined.size)));
      for (const address of chosen) this.launch(address, key, group);
    }
    const interval = usFromMs(this.options.probeIntervalMs);
    if (this.scheduler.nowUs + interval < this.stopUs) this.scheduler.after(interval, this.probeTick);
  }

  private launch(address: number, key: Id, probeGroup: number): void {
    const runtime = this.host.runtime(address);
    this.attempt({ handle: 0, startUs: this.scheduler.nowUs, attempts: 0, runtime, key, probeGroup, timeout: 0 });
  }

  /** Asks the lookup's source for its key's owner, under a fresh handle and timeout. */
  private attempt(lookup: PendingLookup): void {
    const handle = (lookup.handle = this.nextHandle++);
    lookup.attempts++;
    lookup.timeout = this.scheduler.after(usFromMs(this.options.lookupTimeoutMs), this.timeoutHandler, handle);
    this.pending.set(handle, lookup);
    const key = lookup.key;
    const node = this.host.node(lookup.runtime.address);
    if (node.protocol === null) return;
    if (!this.invariants.enabled) return node.protocol.lookup(key, handle);
    try {
      node.protocol.lookup(key, handle);
    } catch (error) {
      throw messageChanged(error, this.invariants, this.scheduler.nowUs, node.label);
    }
  }

  /**
   * Called for the protocol's report (status from the owner) and for a timeout; later reports are ignored. With
   * retries on (p2psim's harness), an answer that is not the key's true owner, or none, is asked again from the
   * same node `every` after it, as long as that falls within `until` of the lookup's start and before the end of
   * the run (so every attempt ends within the drain); the lookup is recorded once, with its last attempt's answer.
   */
  end(handle: LookupHandle, owner: Id | null, hops: number, status?: LookupStatus): void {
    const lookup = this.pending.get(handle);
    if (lookup === undefined) return;
    this.pending.delete(handle);
    if (status !== "timeout") this.scheduler.cancel(lookup.timeout);
    if (!lookup.runtime.active) {
      // The source departed before the lookup ended: nobody is left to judge it by.
      this.abandoned();
      return;
    }
    const retry = this.options.retry;
    if (retry != null && (status === "timeout" || owner === null || owner !== this.oracle.owner(lookup.key))) {
      const atUs = this.scheduler.nowUs + usFromMs(retry.everyMs);
      if (atUs <= lookup.startUs + usFromMs(retry.untilMs) && atUs < this.stopUs) {
        this.waiting++;
        this.scheduler.after(usFromMs(retry.everyMs), this.retryHandler, lookup);
        return;
      }
    }
    const source = this.host.node(lookup.runtime.address);
    this.record({
      startMs: msFromUs(lookup.startUs),
      endMs: msFromUs(this.scheduler.nowUs),
      source: lookup.runtime.id,
      key: lookup.key,
      owner,
      oracleOwner: this.oracle.owner(lookup.key),
      hops,
      status: status ?? (owner === null ? "failed" : "ok"),
      probeGroup: lookup.probeGroup,
      directRttMs: owner === null || owner === source.id ? null : this.host.directRttMs(source, owner),
      attempts: lookup.attempts,
    });
  }

  private retry(lookup: PendingLookup): void {
    this.waiting--;
    if (!lookup.runtime.active) return this.abandoned();
    this.attempt(lookup);
  }
}
