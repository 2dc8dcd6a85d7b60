import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import type { ClientMetrics } from "../metrics/client-metrics.js";
import type { Id } from "../runtime/ids.js";
import type { StorageWorkloadSpec } from "../scenario/storage-spec.js";
import { IndexedSet } from "./indexed-set.js";
import { TimeQueue } from "./time-queue.js";
import type { ValueOracle } from "./value-oracle.js";

/** A value the workload put, until it expires or its remove is acked. */
export interface PutValue {
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

/**
 * The values the workload put and what became of them: which keys hold live values (what gets ask for, and where
 * new values may go), which values may be removed, and which keys were put recently. Nodes and clients draw from
 * the same book, with the workload's random stream.
 */
export class WorkloadValues {
  /** Value hashes are unique: a counter (the oracle tells values apart by them). */
  private nextValueHash = 1;
  /** Live values by key; keys with fewer than valuesPerKey (open), and with any (live). */
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

  constructor(
    private readonly spec: StorageWorkloadSpec,
    private readonly oracle: ValueOracle,
    private readonly scheduler: Scheduler,
    private readonly rng: SeededRandom,
    private readonly clientMetrics: ClientMetrics | null,
  ) {}

  /** Keys holding a live value. */
  get liveKeyCount(): number {
    return this.liveKeys.size;
  }

  /** Values a remove may pick. */
  get removableCount(): number {
    return this.removable.size;
  }

  /**
   * A fresh value, half the time under a key holding fewer than valuesPerKey live values, else under a fresh key,
   * its size and TTL drawn from the ranges given; the oracle is told it was issued.
   */
  newValue(valueBytes: { min: number; max: number }, ttlRange: { min: number; max: number }, client: number): PutValue & { ttlMs: number } {
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

  /** A removable value drawn uniformly, now being removed (call only when `removableCount` > 0). */
  takeForRemove(): PutValue {
    const value = this.removable.at(this.rng.int(this.removable.size));
    this.removable.delete(value);
    value.removing = true;
    return value;
  }

  /** A remove's TTL covers the value's remaining TTL, so the tombstone outlives every copy and anti-entropy cannot bring the value back. */
  removeTtlMs(value: PutValue): number {
    return Math.ceil(msFromUs(value.expiresUs - this.scheduler.nowUs));
  }

  /** A key recently put (recentGetFraction of the time) or any key holding a live value; null before any put. */
  keyToGet(): Id | null {
    const recent = this.rng.next() < this.spec.recentGetFraction;
    const recentCount = this.recentKeys.length - this.recentHead;
    if (recent && recentCount > 0) return this.recentKeys[this.recentHead + this.rng.int(recentCount)];
    if (this.liveKeys.size > 0) return this.liveKeys.at(this.rng.int(this.liveKeys.size));
    return null;
  }

  /** Its put was acked: the oracle learns it, and it may be removed from now on. */
  putAcked(v: PutValue, nowUs: number): void {
    v.acked = true;
    this.oracle.putAcked(v.key, v.valueHash, v.expiresUs, nowUs);
    if (!v.gone && !v.removing) this.removable.add(v);
  }

  removeAcked(v: PutValue, nowUs: number): void {
    this.oracle.removeAcked(v.key, v.valueHash, nowUs);
    this.retire(v);
  }

  /** Its remove was refused or timed out: the value may be removed again. */
  removeUnsettled(v: PutValue): void {
    v.removing = false;
    if (!v.gone) this.removable.add(v);
  }

  /** Values past their TTL no longer count for their key; recent puts older than `recentMs` are dropped. */
  expire(): void {
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

  /** The value expired or was removed; a client's acked value stops counting against its storage. */
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
