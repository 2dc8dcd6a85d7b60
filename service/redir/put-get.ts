import type { Id } from "../../sim/runtime/ids.js";
import type { ValueRef } from "../../sim/runtime/storage-layer.js";

/**
 * What ReDiR needs from the DHT service: OpenDHT's put and get as a client sees them through its gateway, and a
 * clock. Everything is asynchronous with callbacks, because the simulator runs events, not promises, on its hot
 * path; the same client then runs over the in-memory fake in tests and over gateways in the engine later.
 */

/** A put's reply: OpenDHT's OK / AGAIN / CAP, or `failed` when no reply came (gateway gone, retries spent). */
export type PutStatus = "ok" | "again" | "cap" | "failed";

/**
 * Where a capped get reply stopped; passed back to continue. Opaque to the caller: only the service that issued it
 * reads it (OpenDHT's is up to 100 bytes of the gateway's choosing).
 */
export interface Placemark {
  readonly resumeAfter: number;
}

export interface PutGet {
  /** Store `value` under `key` for `ttlMs`; a put of a value already there extends it (soft-state refresh). */
  put(key: Id, value: ValueRef, ttlMs: number, done: (status: PutStatus) => void): void;
  /**
   * Up to `maxValues` live values under `key` (value hashes; the reply is also capped in bytes), continuing after
   * `placemark` if given; `next` is null when nothing is left. `values` is null when the get failed.
   */
  get(
    key: Id,
    maxValues: number,
    placemark: Placemark | null,
    done: (values: readonly number[] | null, next: Placemark | null) => void,
  ): void;
}

export type TimerHandle = number;

/** Time and timers in simulated milliseconds; the engine's scheduler will provide these, tests a virtual queue. */
export interface RedirClock {
  now(): number;
  setTimer(ms: number, fire: () => void): TimerHandle;
  cancelTimer(handle: TimerHandle): void;
}
