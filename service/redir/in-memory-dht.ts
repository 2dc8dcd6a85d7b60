import type { Id } from "../../sim/runtime/ids.js";
import type { ValueRef } from "../../sim/runtime/storage-layer.js";
import type { Placemark, PutGet, PutStatus, RedirClock } from "./put-get.js";

/**
 * A put/get service in one map, for testing ReDiR without the engine: values per key with TTL expiry, a delay per
 * operation, and get replies capped in bytes and continued by placemark. Deterministic: values are returned in
 * value-hash order and a placemark is the last hash returned, so a continuation skips nothing that stayed alive.
 */

export interface InMemoryDhtOptions {
  /** Time from request to reply; the operation takes effect when the reply is sent. */
  delayMs: number;
  /**
   * Bytes one get reply may carry. OpenDHT's cap is about one 1-kB value (≈1063 B serialised) and each value goes
   * out with its TTL and secret hash (≈39 B besides the value), so ≈23 six-byte members fit: an inference from
   * Bamboo's Dht.java, not a measured number.
   */
  replyCapBytes: number;
  /** Serialised bytes per value in a get reply besides the value itself. */
  replyOverheadBytes: number;
  /** Decides each put's reply (failure injection); absent: always OK. */
  putStatus?: (key: Id, now: number) => PutStatus;
  /** Decides whether a get fails (no reply reached the client); absent: never. */
  getFails?: (key: Id, now: number) => boolean;
}

export const OPENDHT_LIKE_REPLIES: InMemoryDhtOptions = { delayMs: 0, replyCapBytes: 1063, replyOverheadBytes: 39 };

interface Stored {
  size: number;
  expiresAt: number;
}

/** A key's values, with their hashes kept in order between puts (gets far outnumber new values in ReDiR). */
interface KeyValues {
  readonly byHash: Map<number, Stored>;
  ordered: number[] | null;
}

export class InMemoryDht implements PutGet {
  private readonly store = new Map<Id, KeyValues>();
  private readonly options: InMemoryDhtOptions;
  /** Operations asked of the service (a check on the counts ReDiR reports). */
  putsIssued = 0;
  getsIssued = 0;

  constructor(
    private readonly clock: RedirClock,
    options: Partial<InMemoryDhtOptions> = {},
  ) {
    this.options = { ...OPENDHT_LIKE_REPLIES, ...options };
  }

  put(key: Id, value: ValueRef, ttlMs: number, done: (status: PutStatus) => void): void {
    this.putsIssued++;
    this.clock.setTimer(this.options.delayMs, () => {
      const now = this.clock.now();
      const status = this.options.putStatus?.(key, now) ?? "ok";
      if (status === "ok") {
        let values = this.store.get(key);
        if (values === undefined) this.store.set(key, (values = { byHash: new Map(), ordered: null }));
        const old = values.byHash.get(value.valueHash);
        const expiresAt = now + ttlMs;
        if (old === undefined) {
          values.byHash.set(value.valueHash, { size: value.size, expiresAt });
          values.ordered = null;
        } else if (old.expiresAt < expiresAt) old.expiresAt = expiresAt;
      }
      done(status);
    });
  }

  get(
    key: Id,
    maxValues: number,
    placemark: Placemark | null,
    done: (values: readonly number[] | null, next: Placemark | null) => void,
  ): void {
    this.getsIssued++;
    this.clock.setTimer(this.options.delayMs, () => {
      if (this.options.getFails?.(key, this.clock.now())) return done(null, null);
      const live = this.liveHashes(key, this.clock.now()).filter((h) => placemark === null || h > placemark.resumeAfter);
      const reply: number[] = [];
      let bytes = 0;
      const sizes = this.store.get(key)?.byHash;
      for (const hash of live) {
        const cost = (sizes?.get(hash)?.size ?? 0) + this.options.replyOverheadBytes;
        // A reply carries at least one value, so a continuation always makes progress.
        if (reply.length > 0 && (bytes + cost > this.options.replyCapBytes || reply.length >= maxValues)) break;
        reply.push(hash);
        bytes += cost;
      }
      const more = reply.length < live.length;
      done(reply, more ? { resumeAfter: reply[reply.length - 1] } : null);
    });
  }

  /** Live value hashes under `key` in hash order; expired values are dropped as they are met. */
  liveHashes(key: Id, now: number): number[] {
    const values = this.store.get(key);
    if (values === undefined) return [];
    values.ordered ??= [...values.byHash.keys()].sort((a, b) => a - b);
    const live: number[] = [];
    for (const hash of values.ordered) {
      if ((values.byHash.get(hash) as Stored).expiresAt > now) live.push(hash);
      else values.byHash.delete(hash);
    }
    if (live.length < values.ordered.length) values.ordered = live.slice();
    if (values.byHash.size === 0) this.store.delete(key);
    return live;
  }
}
