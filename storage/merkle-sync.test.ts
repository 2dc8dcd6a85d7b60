import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyRootHash } from "./key-merkle.js";
import type { KeyRange } from "./key-range.js";
import {
  diffKeyTrees,
  diffTimeTrees,
  FETCH_HEADER_BYTES,
  KEYS_REQUEST_BYTES,
  KEYS_RESPONSE_HEADER_BYTES,
  NODE_REQUEST_BYTES,
  NODE_RESPONSE_BYTES,
  type SyncResult,
} from "./merkle-sync.js";
import { arbRange, arbTuple, contents, fingerprints, keyOf, put, storeOf } from "./test-support.js";
import { timeRootHash } from "./time-merkle.js";
import { KEY_WITH_SECRET_WIRE_BYTES, type Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

type Diff = (local: TupleStore, remote: TupleStore, range: KeyRange, nowUs: number) => SyncResult;
type Root = (store: TupleStore, range: KeyRange, nowUs: number) => number;

const TREES: [string, Diff, Root][] = [
  ["Bamboo's time tree", diffTimeTrees, timeRootHash],
  ["DHash's key tree", diffKeyTrees, keyRootHash],
];

const WHOLE: KeyRange = { lo: "8".repeat(40), hi: "8".repeat(40) };

/** B∖A as anti-entropy sees it: B's unexpired tuples in the range that A does not hold exactly. */
function expectedMissing(a: TupleStore, b: TupleStore, range: KeyRange, nowUs: number): number[] {
  const have = new Set(contents(a, range, nowUs));
  return contents(b, range, nowUs).filter((f) => !have.has(f));
}

describe.each(TREES)("one pull session over %s", (_name, diff, root) => {
  it("costs one request when both hold the same tuples", () => {
    const tuples = Array.from({ length: 50 }, (_, i) => put(keyOf(i), 1, i * 1000, 1e9));
    const sync = diff(storeOf(tuples), storeOf([...tuples].reverse()), WHOLE, 0);
    expect(sync).toEqual({ missing: [], requests: 1, bytes: NODE_REQUEST_BYTES + NODE_RESPONSE_BYTES });
  });

  it("counts a leaf's listing and fetch when one tuple is missing", () => {
    const tuples = Array.from({ length: 10 }, (_, i) => put(keyOf(i), 1, i * 1000, 1e9, undefined, 500));
    const sync = diff(storeOf(tuples.slice(1)), storeOf(tuples), WHOLE, 0);
    expect(sync.missing).toEqual([tuples[0]]);
    expect(sync.requests).toBe(3);
    const listing = KEYS_REQUEST_BYTES + KEYS_RESPONSE_HEADER_BYTES + 10 * KEY_WITH_SECRET_WIRE_BYTES;
    const fetch = 2 * FETCH_HEADER_BYTES + 2 * KEY_WITH_SECRET_WIRE_BYTES + 500;
    expect(sync.bytes).toBe(NODE_REQUEST_BYTES + NODE_RESPONSE_BYTES + listing + fetch);
  });

  it("finds exactly B∖A, and a two-way sync leaves both with equal trees", () => {
    const keys = Array.from({ length: 60 }, (_, i) => keyOf(i));
    const maxTime = 2 ** 30;
    const arbStores = fc.record({
      shared: fc.array(arbTuple(keys, maxTime), { maxLength: 150 }),
      onlyA: fc.array(arbTuple(keys, maxTime), { maxLength: 40 }),
      onlyB: fc.array(arbTuple(keys, maxTime), { maxLength: 40 }),
      range: arbRange(keys),
      now: fc.integer({ min: 0, max: maxTime }),
    });
    fc.assert(
      fc.property(arbStores, ({ shared, onlyA, onlyB, range, now }) => {
        const a = storeOf([...shared, ...onlyA]);
        const b = storeOf([...shared, ...onlyB]);
        checkSync(a, b, range, now, diff, root);
      }),
      { seed: 424242, numRuns: 60 },
    );
  });

  it("finds exactly B∖A over trees of several levels, with equal put times", () => {
    const keys = Array.from({ length: 3000 }, (_, i) => keyOf(i));
    const all: Tuple[] = keys.map((k, i) => put(k, i % 5, i % 3 === 0 ? 1_000_000 : (i * 2654435761) % 2 ** 34, 2 ** 40));
    const drops = (minLength: number) => fc.array(fc.integer({ min: 0, max: 2999 }), { minLength, maxLength: 60 });
    fc.assert(
      fc.property(drops(1), drops(0), arbRange(keys.slice(0, 50)), (dropA, dropB, range) => {
        const notA = new Set(dropA);
        const notB = new Set(dropB);
        const a = storeOf(all.filter((_, i) => !notA.has(i)));
        const b = storeOf(all.filter((_, i) => !notB.has(i)));
        checkSync(a, b, range, 0, diff, root);
      }),
      { seed: 777, numRuns: 8 },
    );
  });
});

function checkSync(a: TupleStore, b: TupleStore, range: KeyRange, now: number, diff: Diff, root: Root): void {
  const pulledByA = diff(a, b, range, now);
  expect(fingerprints(pulledByA.missing)).toEqual(expectedMissing(a, b, range, now));
  const aHeldOnlyWhatBHolds = expectedMissing(b, a, range, now).length === 0;
  for (const t of pulledByA.missing) a.add(t, now);
  // A held nothing B lacks, and now holds what B holds: the same tree.
  if (aHeldOnlyWhatBHolds) expect(root(a, range, now)).toBe(root(b, range, now));
  const pulledByB = diff(b, a, range, now);
  expect(fingerprints(pulledByB.missing)).toEqual(expectedMissing(b, a, range, now));
  for (const t of pulledByB.missing) b.add(t, now);
  expect(root(a, range, now)).toBe(root(b, range, now));
  expect(contents(a, range, now)).toEqual(contents(b, range, now));
}
