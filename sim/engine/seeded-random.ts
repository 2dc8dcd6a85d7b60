import seedrandom from "seedrandom";
import type { RandomStream } from "../runtime/random-stream.js";

const HEX = "0123456789abcdef";

/**
 * A named, seeded random stream. Streams form a tree by path ("1/churn", "1/node:42"), each seeded from its own
 * path, so forking a new stream never consumes numbers from its parent and adding a stream never shifts
 * another: every consumer of randomness stays reproducible on its own. Alea is used for its small state (a
 * stream per node, 100,000 nodes) and its speed.
 */
export class SeededRandom implements RandomStream {
  private readonly prng: seedrandom.PRNG;

  constructor(readonly path: string) {
    this.prng = seedrandom.alea(path);
  }

  static root(seed: number | string): SeededRandom {
    return new SeededRandom(String(seed));
  }

  fork(name: string): SeededRandom {
    return new SeededRandom(`${this.path}/${name}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  exponential(mean: number): number {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    return -mean * Math.log(1 - this.prng());
  }

  /** Standard normal, by Box–Muller (one draw per call; the spare is not kept, which keeps streams simple). */
  normal(): number {
    const u = 1 - this.prng();
    const v = this.prng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Gamma(shape, 1), by Marsaglia and Tsang; shapes below 1 use the boost Gamma(a) = Gamma(a + 1)·U^(1/a). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * (1 - this.prng()) ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.prng();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** 160 random bits as 40 lowercase hex digits: a random key in the identifier space. */
  bits160hex(): string {
    let s = "";
    for (let i = 0; i < 5; i++) {
      // int32 gives 32 fresh bits per draw; eight hex digits each.
      let w = this.prng.int32() >>> 0;
      let chunk = "";
      for (let j = 0; j < 8; j++) {
        chunk = HEX[w & 15] + chunk;
        w >>>= 4;
      }
      s += chunk;
    }
    return s;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  shuffleInPlace<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}
