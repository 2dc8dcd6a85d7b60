/**
 * Micro-benchmark of the storage tree: the cost of one put's test with n puts stored, against a scan of every
 * stored put (what a put's test would cost without the tree). Run:
 *   node --import tsx service/admission/storage-tree-bench.ts
 */
import { SeededRandom } from "../../engine/seeded-random.js";
import { StorageTree } from "../../../service/admission/storage-tree.js";

const RATE = 1024;
const MAX_TTL_S = 7 * 24 * 3600;

/** The test by scanning every stored put, latest expiry first, with the bytes expiring at or after each. */
function scanAccepts(expiries: Float64Array, bytes: Float64Array, n: number, nowS: number, capacity: number, expiryS: number, size: number): boolean {
  let suffix = 0;
  let newPointDone = false;
  for (let i = n - 1; i >= 0; i--) {
    if (!newPointDone && expiries[i] < expiryS) {
      if (suffix + size + RATE * (expiryS - nowS) > capacity) return false;
      newPointDone = true;
    }
    suffix += bytes[i];
    if (suffix + (expiries[i] <= expiryS ? size : 0) + RATE * (expiries[i] - nowS) > capacity) return false;
  }
  return newPointDone || suffix + size + RATE * (expiryS - nowS) <= capacity;
}

function bench(n: number): void {
  const random = new SeededRandom(`bench-${n}`);
  const capacity = RATE * MAX_TTL_S + 1024 * n;
  const tree = new StorageTree(RATE, capacity);
  const held: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const ttl = Math.round(random.uniform(1, MAX_TTL_S) * 1000) / 1000;
    if (!tree.tryAdd(1024, ttl)) throw new Error("bench: fill refused");
    held.push([ttl, 1024]);
  }
  held.sort((a, b) => a[0] - b[0]);
  const expiries = Float64Array.from(held.map((h) => h[0]));
  const bytes = Float64Array.from(held.map((h) => h[1]));
  const queries = Array.from({ length: 20_000 }, () => Math.round(random.uniform(1, MAX_TTL_S) * 1000) / 1000);

  let t0 = performance.now(); // wall-clock ok: the bench times the tree
  let yes = 0;
  for (const q of queries) if (tree.wouldAccept(1024, q)) yes++;
  const treeUs = ((performance.now() - t0) * 1000) / queries.length; // wall-clock ok

  const scanQueries = queries.slice(0, Math.max(200, Math.floor(2e7 / Math.max(n, 1) / 10)));
  t0 = performance.now(); // wall-clock ok: the bench times the tree
  let agree = 0;
  for (const q of scanQueries) if (scanAccepts(expiries, bytes, n, 0, capacity, q, 1024) === tree.wouldAccept(1024, q)) agree++;
  const scanUs = ((performance.now() - t0) * 1000) / scanQueries.length; // wall-clock ok

  t0 = performance.now(); // wall-clock ok: the bench times the tree
  let added = 0;
  for (const q of queries) if (tree.tryAdd(1, q)) added++;
  const addUs = ((performance.now() - t0) * 1000) / queries.length; // wall-clock ok
  console.log(
    `${String(n).padStart(7)} stored: test ${treeUs.toFixed(2)} µs, test+insert ${addUs.toFixed(2)} µs, scan ${scanUs.toFixed(1)} µs (` +
      `${(scanUs / treeUs).toFixed(0)}×); scan agrees on ${agree}/${scanQueries.length}; ${yes} of ${queries.length} would fit, ${added} added`,
  );
}

for (const n of [1_000, 10_000, 100_000, 1_000_000]) bench(n);
