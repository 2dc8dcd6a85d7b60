import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Id } from "../sim/runtime/ids.js";
import { inKeyRange, type KeyRange } from "./key-range.js";
import { arbRange, arbTuple, keyOf, put, SECRET_HASH, tombstone } from "./test-support.js";
import { STORED_TUPLE_OVERHEAD_BYTES, type Tuple } from "./tuple.js";
import { type AddOutcome, TupleStore } from "./tuple-store.js";

const K = keyOf(1);

/** A store that records its held reports as "+key/value/kind" lines. */
function recording(): { store: TupleStore; held: string[] } {
  const held: string[] = [];
  const store = new TupleStore((key, valueHash, remove, delta) => {
    held.push(`${delta > 0 ? "+" : "-"}${key.slice(0, 4)}/${valueHash}/${remove ? "remove" : "put"}`);
  });
  return { store, held };
}

const tag = `${K.slice(0, 4)}`;

describe("TupleStore merge rules", () => {
  it("stores a put and answers gets with it until it expires", () => {
    const { store, held } = recording();
    expect(store.add(put(K, 1, 10, 100), 10)).toBe("stored");
    expect(store.values(K, 50).map((t) => t.valueHash)).toEqual([1]);
    expect(store.values(keyOf(2), 50)).toEqual([]);
    expect(store.size).toBe(1);
    expect(store.bytes).toBe(100 + STORED_TUPLE_OVERHEAD_BYTES);
    expect(store.values(K, 110)).toEqual([]);
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
    expect(held).toEqual([`+${tag}/1/put`, `-${tag}/1/put`]);
  });

  it("keeps the later expiry of a duplicate put, and the later put time on a tie", () => {
    const { store, held } = recording();
    store.add(put(K, 1, 10, 100), 10);
    expect(store.add(put(K, 1, 20, 50), 20)).toBe("duplicate");
    expect(store.lookup(K, 1, SECRET_HASH)?.expiresUs).toBe(110);
    expect(store.add(put(K, 1, 30, 200), 30)).toBe("refreshed");
    expect(store.lookup(K, 1, SECRET_HASH)).toMatchObject({ putTimeUs: 30, expiresUs: 230 });
    expect(store.add(put(K, 1, 40, 190), 40)).toBe("refreshed");
    expect(store.lookup(K, 1, SECRET_HASH)).toMatchObject({ putTimeUs: 40, expiresUs: 230 });
    expect(store.add(put(K, 1, 40, 190), 40)).toBe("duplicate");
    expect(store.size).toBe(1);
    expect(held).toEqual([`+${tag}/1/put`]);
  });

  it("lets a remove delete the put it names and stand in its place", () => {
    const { store, held } = recording();
    store.add(put(K, 1, 10, 100), 10);
    store.add(put(K, 2, 10, 100), 10);
    expect(store.add(tombstone(K, 1, 20, 100), 20)).toBe("removed");
    expect(store.values(K, 30).map((t) => t.valueHash)).toEqual([2]);
    expect(store.lookup(K, 1, SECRET_HASH)?.remove).toBe(true);
    expect(held).toEqual([`+${tag}/1/put`, `+${tag}/2/put`, `-${tag}/1/put`, `+${tag}/1/remove`]);
  });

  it("does not let a remove with another secret delete the put, nor one without a secret be stored", () => {
    const store = new TupleStore();
    store.add(put(K, 1, 10, 100), 10);
    expect(store.add(tombstone(K, 1, 20, 100, SECRET_HASH ^ 1), 20)).toBe("stored");
    expect(store.values(K, 30).map((t) => t.valueHash)).toEqual([1]);
    expect(store.add(tombstone(K, 1, 20, 100, 0), 20)).toBe("rejected");
    store.add(put(K, 3, 10, 100, 0), 10);
    expect(store.add(tombstone(K, 3, 20, 100, 0), 20)).toBe("rejected");
    expect(store.values(K, 30).map((t) => t.valueHash)).toEqual([1, 3]);
  });

  it("drops a put that arrives while its tombstone is held, and keeps the later of two removes", () => {
    const store = new TupleStore();
    store.add(tombstone(K, 1, 10, 100), 10);
    expect(store.add(put(K, 1, 5, 100), 20)).toBe("blocked");
    expect(store.add(put(K, 1, 30, 1000), 30)).toBe("blocked");
    expect(store.values(K, 30)).toEqual([]);
    expect(store.add(tombstone(K, 1, 40, 30), 40)).toBe("duplicate");
    expect(store.add(tombstone(K, 1, 50, 300), 50)).toBe("refreshed");
    expect(store.lookup(K, 1, SECRET_HASH)).toMatchObject({ remove: true, expiresUs: 350 });
    expect(store.size).toBe(1);
  });

  it("keeps a put from coming back while the tombstone outlives it, and lets it back once the tombstone expires", () => {
    const store = new TupleStore();
    store.add(put(K, 1, 0, 100), 0);
    store.add(tombstone(K, 1, 50, 200), 50); // the put would have expired at 100; the tombstone lasts to 250
    // A replica that missed the remove hands the value back with a refreshed TTL.
    expect(store.add(put(K, 1, 150, 500), 150)).toBe("blocked");
    expect(store.values(K, 200)).toEqual([]);
    expect(store.add(put(K, 1, 260, 500), 260)).toBe("stored");
    expect(store.values(K, 300).map((t) => t.valueHash)).toEqual([1]);
  });

  it("drops tuples already expired on arrival, and expired ones on expire()", () => {
    const { store, held } = recording();
    expect(store.add(put(K, 1, 0, 10), 10)).toBe("expired");
    store.add(put(K, 1, 0, 100), 0);
    store.add(put(keyOf(2), 1, 0, 200), 0);
    store.add(tombstone(keyOf(3), 1, 0, 300), 0);
    expect(store.expire(99)).toBe(0);
    expect(store.expire(200)).toBe(2);
    expect(store.size).toBe(1);
    expect(held.filter((h) => h.startsWith("-")).length).toBe(2);
  });

  it("removeTuple deletes the tuple of the same identity and kind only", () => {
    const store = new TupleStore();
    store.add(put(K, 1, 0, 100), 0);
    expect(store.removeTuple(tombstone(K, 1, 0, 100))).toBe(false);
    expect(store.removeTuple(put(K, 1, 5, 1))).toBe(true);
    expect(store.size).toBe(0);
    expect(store.removeTuple(put(K, 1, 5, 1))).toBe(false);
  });

  it("has() asks for exactly the tuple held; forEachTuple gives the engine every tuple", () => {
    const store = new TupleStore();
    store.add(put(K, 1, 0, 100), 0);
    store.add(tombstone(keyOf(2), 4, 0, 100), 0);
    expect(store.has(put(K, 1, 0, 100))).toBe(true);
    expect(store.has(put(K, 1, 0, 101))).toBe(false);
    expect(store.has(put(K, 1, 1, 99))).toBe(false);
    expect(store.has(tombstone(K, 1, 0, 100))).toBe(false);
    const seen: string[] = [];
    store.forEachTuple((key, valueHash, remove, expiresUs) => seen.push(`${key === K ? "K" : "2"} ${valueHash} ${remove} ${expiresUs}`));
    expect(seen.sort()).toEqual(["2 4 true 100", "K 1 false 100"]);
  });

  it("keeps the key string it was given rather than a copy", () => {
    const store = new TupleStore();
    const t = put(K, 1, 0, 100);
    store.add(t, 0);
    expect(Object.is(store.lookup(K, 1, SECRET_HASH)?.key, t.key)).toBe(true);
  });
});

describe("TupleStore.inRange", () => {
  const keys: Id[] = Array.from({ length: 40 }, (_, i) => keyOf(i));
  const sorted = [...keys].sort();
  const store = new TupleStore();
  for (const key of keys) store.add(put(key, 1, 0, 100), 0);

  const collect = (range: KeyRange): Id[] => {
    const out: Id[] = [];
    store.inRange(range, 0, (t) => out.push(t.key));
    return out;
  };

  it("visits (lo, hi] clockwise from lo, wrapping round the ring", () => {
    expect(collect({ lo: sorted[3], hi: sorted[10] })).toEqual(sorted.slice(4, 11));
    expect(collect({ lo: sorted[35], hi: sorted[2] })).toEqual([...sorted.slice(36), ...sorted.slice(0, 3)]);
    expect(collect({ lo: sorted[7], hi: sorted[7] })).toEqual([...sorted.slice(8), ...sorted.slice(0, 8)]);
    expect(collect({ lo: "0".repeat(40), hi: "f".repeat(40) })).toEqual(sorted);
  });

  it("agrees with inKeyRange for any range", () => {
    fc.assert(
      fc.property(arbRange(keys), (range) => {
        expect([...collect(range)].sort()).toEqual(keys.filter((k) => inKeyRange(k, range)).sort());
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});

/** The merge rules written plainly, over a map: what the store must agree with. */
function modelAdd(model: Map<string, Tuple>, t: Tuple, nowUs: number): AddOutcome {
  const id = `${t.key} ${t.valueHash} ${t.secretHash}`;
  if (t.expiresUs <= nowUs) return "expired";
  if (t.remove && t.secretHash === 0) return "rejected";
  let held = model.get(id);
  if (held !== undefined && held.expiresUs <= nowUs) {
    model.delete(id);
    held = undefined;
  }
  if (held === undefined) {
    model.set(id, t);
    return "stored";
  }
  if (held.remove && !t.remove) return "blocked";
  if (!held.remove && t.remove) {
    model.set(id, t);
    return "removed";
  }
  if (t.expiresUs > held.expiresUs || (t.expiresUs === held.expiresUs && t.putTimeUs > held.putTimeUs)) {
    model.set(id, t);
    return "refreshed";
  }
  return "duplicate";
}

describe("TupleStore under random sequences", () => {
  const keys = Array.from({ length: 6 }, (_, i) => keyOf(i));
  const step = fc.oneof(
    { weight: 6, arbitrary: arbTuple(keys, 1000).map((t) => ({ kind: "add" as const, t })) },
    { weight: 1, arbitrary: fc.constantFrom(...keys).map((key) => ({ kind: "get" as const, key })) },
    { weight: 1, arbitrary: arbRange(keys).map((range) => ({ kind: "range" as const, range })) },
    { weight: 1, arbitrary: arbTuple(keys, 1000).map((t) => ({ kind: "delete" as const, t })) },
    { weight: 1, arbitrary: fc.constant({ kind: "expire" as const }) },
  );

  it("follows the merge rules, and its held reports sum to its size", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(step, fc.integer({ min: 0, max: 40 })), { maxLength: 120 }), (steps) => {
        let net = 0;
        let bytes = 0;
        const store = new TupleStore((_key, _value, _remove, delta) => {
          net += delta;
        });
        const model = new Map<string, Tuple>();
        let now = 0;
        for (const [s, advance] of steps) {
          now += advance;
          if (s.kind === "add") expect(store.add(s.t, now)).toBe(modelAdd(model, s.t, now));
          else if (s.kind === "get") {
            const expected = [...model.values()].filter((t) => t.key === s.key && !t.remove && t.expiresUs > now);
            expect(store.values(s.key, now).map((t) => t.valueHash).sort()).toEqual(expected.map((t) => t.valueHash).sort());
          } else if (s.kind === "range") store.inRange(s.range, now, (t) => expect(t.expiresUs).toBeGreaterThan(now));
          else if (s.kind === "delete") {
            const id = `${s.t.key} ${s.t.valueHash} ${s.t.secretHash}`;
            const held = model.get(id);
            const expected = held !== undefined && held.remove === s.t.remove;
            if (expected) model.delete(id);
            expect(store.removeTuple(s.t)).toBe(expected);
          } else store.expire(now);
          expect(net).toBe(store.size);
        }
        store.expire(now);
        const live = [...model.values()].filter((t) => t.expiresUs > now);
        for (const t of live) bytes += t.size + STORED_TUPLE_OVERHEAD_BYTES;
        expect(store.size).toBe(live.length);
        expect(store.bytes).toBe(bytes);
        for (const t of live) expect(store.has(t)).toBe(true);
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
});
