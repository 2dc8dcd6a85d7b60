import fc from "fast-check";
import { idOfAddress, type Id } from "../sim/runtime/ids.js";
import { hashSecret } from "../sim/runtime/storage-layer.js";
import { inKeyRange, type KeyRange } from "./key-range.js";
import { tupleFingerprint, type Tuple } from "./tuple.js";
import { TupleStore } from "./tuple-store.js";

/** Builders and generators shared by the storage tests. */

export const SECRET = 7;
export const SECRET_HASH = hashSecret(SECRET);

/** A well-spread key: SHA-1 of a number, as node identifiers are made. */
export function keyOf(n: number): Id {
  return idOfAddress(`key-${n}`);
}

export function put(key: Id, valueHash: number, putTimeUs: number, ttlUs: number, secretHash = SECRET_HASH, size = 100): Tuple {
  return { key, valueHash, secretHash, size, putTimeUs, expiresUs: putTimeUs + ttlUs, remove: false };
}

export function tombstone(key: Id, valueHash: number, putTimeUs: number, ttlUs: number, secretHash = SECRET_HASH): Tuple {
  return { key, valueHash, secretHash, size: 0, putTimeUs, expiresUs: putTimeUs + ttlUs, remove: true };
}

export function storeOf(tuples: readonly Tuple[], nowUs = 0): TupleStore {
  const store = new TupleStore();
  for (const t of tuples) store.add(t, nowUs);
  return store;
}

/** The fingerprints of the unexpired tuples of `store` in `range`, sorted: a set to compare. */
export function contents(store: TupleStore, range: KeyRange, nowUs: number): number[] {
  const out: number[] = [];
  store.forEach((t) => {
    if (t.expiresUs > nowUs && inKeyRange(t.key, range)) out.push(tupleFingerprint(t));
  });
  return out.sort((a, b) => a - b);
}

export function fingerprints(tuples: readonly Tuple[]): number[] {
  return tuples.map(tupleFingerprint).sort((a, b) => a - b);
}

/** Tuples from small pools of keys, values and times, so that merges, equal put times and expiries all occur. */
export function arbTuple(keys: readonly Id[], maxTimeUs: number): fc.Arbitrary<Tuple> {
  return fc
    .record({
      key: fc.constantFrom(...keys),
      valueHash: fc.integer({ min: 0, max: 5 }),
      remove: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      time: fc.oneof(fc.integer({ min: 0, max: maxTimeUs }), fc.constantFrom(1_000, 2_000_000)),
      ttl: fc.integer({ min: 1, max: maxTimeUs }),
      size: fc.integer({ min: 0, max: 1000 }),
    })
    .map(({ key, valueHash, remove, time, ttl, size }) =>
      remove ? tombstone(key, valueHash, time, ttl) : put(key, valueHash, time, ttl, SECRET_HASH, size),
    );
}

/** Ranges that start and end at pool keys or identifiers between them, wrapping or not, or the whole ring. */
export function arbRange(keys: readonly Id[]): fc.Arbitrary<KeyRange> {
  const bound = fc.oneof(fc.constantFrom(...keys), fc.integer({ min: 0, max: 15 }).map((d) => d.toString(16).repeat(40)));
  return fc.record({ lo: bound, hi: bound });
}
