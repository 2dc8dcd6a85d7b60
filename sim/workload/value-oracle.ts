import type { Id } from "../runtime/ids.js";
import type { StorageDisk } from "../runtime/storage-layer.js";
import { TimeQueue } from "./time-queue.js";

/**
 * The simulator's truth about stored values, as the owner oracle is for lookups: which values were put and acked,
 * removed, expired, and which nodes hold them. Gets are judged against it, and durability measured by it.
 *
 * How the simulation feeds it (times in µs, as the scheduler counts):
 * - the storage workload: `putIssued` when a client starts a put, `putAcked` / `removeAcked` when one ends stored;
 * - a live node's storage layer (StorageReports.held): `held(key, valueHash, remove, ±1)`;
 * - a node going offline: `nodeDeparted(disk, returns)` instead of a −1 per tuple (`returns`: it keeps its disk
 *   and comes back, as under downtime churn); coming back: `nodeReturned(disk)` with the disk it returns with,
 *   before its storage layer reports anything; a kept disk that will never come back after all: `diskDiscarded`.
 * - `stats(nowUs)` once per metrics window; `judge(...)` for every get that ends.
 *
 * Holder counts are kept only while a value is live: reports about a value already expired are ignored, so
 * whether a layer reports dropping its expired tuples does not matter. Each value is forgotten `graceMs` after it
 * expires (the longest a get can last), so memory follows the values live, not the length of the run.
 */

export type GetVerdict = "complete" | "partial" | "stale" | "failed";

export interface GetJudgement {
  /**
   * failed: no answer; stale: a value returned had expired or been removed (acked) before the get started;
   * partial: a value expected was not returned; complete: every value expected was returned, none stale.
   */
  status: GetVerdict;
  /** Values whose put was acked before the get started, still live (not expired, not removed) at its end. */
  expected: number;
  returned: number;
  missing: number;
  stale: number;
  /** Of the stale, values past their TTL before the get started: no store may answer with one. */
  expired: number;
}

export interface ValueStats {
  /** Values acked, live (not expired, not removed) and not lost. */
  valuesStored: number;
  /** Mean and least live holders over the values stored (null when none). */
  replicasMean: number | null;
  replicasMin: number | null;
  /** Values stored that only offline nodes (which will return) hold. */
  valuesUnavailable: number;
  /** Values lost since the run began: acked, live, not being removed, and held by no node, live or offline. */
  valuesLost: number;
  /** Values acked since the run began (whether lost or not): the denominator of the lost fraction. */
  valuesAcked: number;
}

interface Value {
  readonly key: Id;
  readonly valueHash: number;
  expiresUs: number;
  ackedUs: number;
  removedUs: number;
  liveHolders: number;
  offlineHolders: number;
  expired: boolean;
  lost: boolean;
  /** A node has held a tombstone for it: a remove is under way, so its copies going is no loss. */
  tombstoned: boolean;
}

export class ValueOracle {
  private readonly byKey = new Map<Id, Map<number, Value>>();
  /** Acked, live and not lost: the values `stats` describes. */
  private readonly stored = new Set<Value>();
  private readonly expiries = new TimeQueue<Value>();
  /** Expired values, forgotten after the grace period; expiry time + grace only grows, so a FIFO. */
  private forgetting: Value[] = [];
  private forgettingHead = 0;
  private readonly graceUs: number;
  private lost = 0;
  private acked = 0;

  /** `graceMs`: how long after its expiry a value is still needed to judge a get (the operation timeout). */
  constructor(graceMs: number) {
    this.graceUs = Math.round(graceMs * 1000);
  }

  /** Values the oracle remembers (live, or expired within the grace period): bounded by the values live. */
  get size(): number {
    let n = 0;
    for (const values of this.byKey.values()) n += values.size;
    return n;
  }

  /** Live (not expired, not removed) acked values under `key`, as the workload picks keys and values. */
  liveValues(key: Id): number {
    const values = this.byKey.get(key);
    if (values === undefined) return 0;
    let n = 0;
    for (const v of values.values()) if (isLive(v) && v.ackedUs !== Infinity) n++;
    return n;
  }

  /** A client started a put: from now a get may return the value, before any ack. */
  putIssued(key: Id, valueHash: number, expiresUs: number): void {
    let values = this.byKey.get(key);
    if (values === undefined) this.byKey.set(key, (values = new Map()));
    if (values.has(valueHash)) return;
    const v: Value = { key, valueHash, expiresUs, ackedUs: Infinity, removedUs: Infinity, liveHolders: 0, offlineHolders: 0, expired: false, lost: false, tombstoned: false };
    values.set(valueHash, v);
    this.expiries.push(expiresUs, v);
  }

  /** The put was acked at `nowUs`: from the next get on, the value is expected. */
  putAcked(key: Id, valueHash: number, expiresUs: number, nowUs: number): void {
    this.putIssued(key, valueHash, expiresUs);
    const v = this.find(key, valueHash) as Value;
    if (v.ackedUs !== Infinity || v.expired || expiresUs <= nowUs) return;
    v.ackedUs = nowUs;
    this.acked++;
    if (v.removedUs !== Infinity) return;
    this.stored.add(v);
    this.checkLost(v);
  }

  /** A remove of the value was acked at `nowUs`: it is no longer expected, and returning it is stale from now. */
  removeAcked(key: Id, valueHash: number, nowUs: number): void {
    const v = this.find(key, valueHash);
    if (v === undefined || v.removedUs !== Infinity) return;
    v.removedUs = nowUs;
    this.stored.delete(v);
  }

  /**
   * A live node now holds (+1) or no longer holds (−1) the tuple. A tombstone only marks its value as being
   * removed: replicas drop a value as its tombstone reaches them, before the client hears the remove acked.
   */
  held(key: Id, valueHash: number, remove: boolean, delta: 1 | -1): void {
    const v = this.find(key, valueHash);
    if (v === undefined || v.expired) return;
    if (remove) {
      v.tombstoned = true;
      return;
    }
    v.liveHolders += delta;
    if (v.liveHolders < 0) throw new Error(`value oracle: ${key}/${valueHash} held by fewer than no live node`);
    if (delta < 0) this.checkLost(v);
  }

  /** A node holding `disk` went offline: its holders become offline ones if it will return, else are gone. */
  nodeDeparted(disk: StorageDisk, returns: boolean): void {
    disk.forEachTuple((key, valueHash, remove) => {
      if (remove) return;
      const v = this.find(key, valueHash);
      if (v === undefined || v.expired) return;
      v.liveHolders--;
      if (v.liveHolders < 0) throw new Error(`value oracle: ${key}/${valueHash} departed from a node not counted as holding it`);
      if (returns) v.offlineHolders++;
      else this.checkLost(v);
    });
  }

  /** A node came back with `disk`: its offline holders are live again. */
  nodeReturned(disk: StorageDisk): void {
    disk.forEachTuple((key, valueHash, remove) => {
      if (remove) return;
      const v = this.find(key, valueHash);
      if (v === undefined || v.expired || v.offlineHolders === 0) return;
      v.offlineHolders--;
      v.liveHolders++;
    });
  }

  /** A disk kept for a node's return will not come back after all. */
  diskDiscarded(disk: StorageDisk): void {
    disk.forEachTuple((key, valueHash, remove) => {
      if (remove) return;
      const v = this.find(key, valueHash);
      if (v === undefined || v.expired || v.offlineHolders === 0) return;
      v.offlineHolders--;
      this.checkLost(v);
    });
  }

  /**
   * Judges a get of `key` started at `startUs` and ended now with these values (null: it failed). A value neither
   * expected nor stale is allowed: a put or remove in flight during the get, or one that expired meanwhile.
   */
  judge(key: Id, returned: readonly number[] | null, startUs: number, nowUs: number): GetJudgement {
    this.expire(nowUs);
    const values = this.byKey.get(key);
    let expected = 0;
    if (values !== undefined) {
      for (const v of values.values()) if (v.ackedUs < startUs && v.expiresUs > nowUs && v.removedUs > nowUs) expected++;
    }
    if (returned === null) return { status: "failed", expected, returned: 0, missing: expected, stale: 0, expired: 0 };
    let found = 0;
    let stale = 0;
    let expired = 0;
    for (const hash of returned) {
      const v = values?.get(hash);
      // Forgotten: it expired more than the grace period (the longest get) ago, so before this get started.
      if (v === undefined || v.expiresUs <= startUs) {
        stale++;
        expired++;
      } else if (v.removedUs < startUs) stale++;
      else if (v.ackedUs < startUs && v.expiresUs > nowUs && v.removedUs > nowUs) found++;
    }
    const missing = expected - found;
    const status = stale > 0 ? "stale" : missing > 0 ? "partial" : "complete";
    return { status, expected, returned: returned.length, missing, stale, expired };
  }

  /** The state of stored values now, for the timeseries. */
  stats(nowUs: number): ValueStats {
    this.expire(nowUs);
    let sum = 0;
    let min = Infinity;
    let unavailable = 0;
    for (const v of this.stored) {
      sum += v.liveHolders;
      if (v.liveHolders < min) min = v.liveHolders;
      if (v.liveHolders === 0) unavailable++;
    }
    const n = this.stored.size;
    return {
      valuesStored: n,
      replicasMean: n > 0 ? sum / n : null,
      replicasMin: n > 0 ? min : null,
      valuesUnavailable: unavailable,
      valuesLost: this.lost,
      valuesAcked: this.acked,
    };
  }

  /** Every value not expired by `nowUs`, with the holders counted for it: for invariant checks against the stores. */
  forEachUnexpired(nowUs: number, visit: (key: Id, valueHash: number, liveHolders: number, offlineHolders: number) => void): void {
    for (const values of this.byKey.values()) for (const v of values.values()) if (v.expiresUs > nowUs) visit(v.key, v.valueHash, v.liveHolders, v.offlineHolders);
  }

  /** Retires values that expired by `nowUs`, and forgets those past the grace period. */
  expire(nowUs: number): void {
    while (this.expiries.nextTime <= nowUs) {
      const v = this.expiries.pop() as Value;
      v.expired = true;
      this.stored.delete(v);
      this.forgetting.push(v);
    }
    const f = this.forgetting;
    while (this.forgettingHead < f.length && f[this.forgettingHead].expiresUs + this.graceUs <= nowUs) {
      const v = f[this.forgettingHead++];
      const values = this.byKey.get(v.key);
      if (values !== undefined && values.delete(v.valueHash) && values.size === 0) this.byKey.delete(v.key);
    }
    // Drop the consumed prefix now and then, so the array does not grow with the run.
    if (this.forgettingHead > 1024 && this.forgettingHead * 2 > f.length) {
      this.forgetting = f.slice(this.forgettingHead);
      this.forgettingHead = 0;
    }
  }

  private find(key: Id, valueHash: number): Value | undefined {
    return this.byKey.get(key)?.get(valueHash);
  }

  /** An acked, live value held by no node at all, and not being removed, is lost: counted once. */
  private checkLost(v: Value): void {
    if (v.lost || v.liveHolders + v.offlineHolders > 0 || v.ackedUs === Infinity || v.tombstoned || !isLive(v)) return;
    v.lost = true;
    this.lost++;
    this.stored.delete(v);
  }
}

function isLive(v: Value): boolean {
  return !v.expired && v.removedUs === Infinity;
}
