import type { SeededRandom } from "../../engine/seeded-random.js";
import type { LatencyMatrix } from "./latency-matrix.js";

/**
 * Regions of the Internet as King's DNS servers populate them: share of hosts, centre on a plane whose unit is
 * one millisecond of one-way delay, and spread. Calibrated so that delays resemble the King data (see
 * synthetic-king.test.ts for the comparison with a real King file).
 */
const REGIONS = [
  { share: 0.46, x: 0, y: 0, spread: 18 }, // North America
  { share: 0.3, x: 48, y: 8, spread: 11 }, // Europe
  { share: 0.14, x: -68, y: 50, spread: 22 }, // East Asia
  { share: 0.05, x: 18, y: -55, spread: 12 }, // South America
  { share: 0.05, x: -95, y: -30, spread: 10 }, // Oceania
];

/** Lognormal σ of the per-pair factor: routing detours, which also break the triangle inequality. */
const PAIR_SIGMA = 0.25;
const MIN_MS = 1;
const MAX_MS = 500;

/** A 32-bit mix (murmur3's finaliser): a pure function of its input, so pair factors need no storage. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The embedded default latency model: hosts in continental regions, each with its own access delay (its
 * "height"), and a per-pair lognormal factor derived from a hash of the unordered pair. Deterministic from the
 * stream, any number of hosts, and O(hosts) memory, so 100,000 hosts cost a few megabytes.
 */
export function syntheticKing(hosts: number, rng: SeededRandom): LatencyMatrix {
  if (!Number.isInteger(hosts) || hosts < 2) throw new RangeError(`the synthetic latency model needs at least 2 hosts, got ${hosts}`);
  const xs = new Float64Array(hosts);
  const ys = new Float64Array(hosts);
  const heights = new Float64Array(hosts);
  for (let h = 0; h < hosts; h++) {
    let u = rng.next();
    let r = 0;
    while (r < REGIONS.length - 1 && u >= REGIONS[r].share) u -= REGIONS[r++].share;
    const region = REGIONS[r];
    xs[h] = region.x + region.spread * rng.normal();
    ys[h] = region.y + region.spread * rng.normal();
    // Last-mile delays: mostly a few ms, a long tail of slow links.
    heights[h] = 0.5 + rng.exponential(4) + (rng.next() < 0.05 ? rng.exponential(60) : 0);
  }
  const salt = Math.floor(rng.next() * 2 ** 32);
  return {
    hosts,
    source: `synthetic King-like model, ${hosts} hosts`,
    oneWayMs(a: number, b: number): number {
      if (a === b) return 0;
      const lo = a < b ? a : b;
      const hi = a < b ? b : a;
      const h1 = mix(Math.imul(lo, 0x9e3779b1) ^ mix(hi ^ salt));
      const h2 = mix(h1 ^ 0x5bd1e995);
      // Box–Muller from two hashed uniforms in (0, 1].
      const z = Math.sqrt(-2 * Math.log((h1 + 1) / 4294967296)) * Math.cos((2 * Math.PI * h2) / 4294967296);
      // Computed from the ordered pair, so that (a, b) and (b, a) round identically.
      const dx = xs[lo] - xs[hi];
      const dy = ys[lo] - ys[hi];
      const d = (Math.sqrt(dx * dx + dy * dy) + heights[lo] + heights[hi]) * Math.exp(PAIR_SIGMA * z);
      return d < MIN_MS ? MIN_MS : d > MAX_MS ? MAX_MS : d;
    },
  };
}
