import seedrandom from "seedrandom";
import type { RandomStream } from "../../sim/runtime/random-stream.js";

const HEX = "0123456789abcdef";

/**
 * A seeded random stream for the single-node harness, which runs without the engine. Each stream is seeded from
 * its path ("7/client:3"), so forking never consumes numbers from the parent: adding a client leaves every other
 * client's draws unchanged.
 */
export class PathSeededStream implements RandomStream {
  private readonly prng: seedrandom.PRNG;

  constructor(readonly path: string) {
    this.prng = seedrandom.alea(path);
  }

  next(): number {
    return this.prng();
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.prng());
  }

  bits160hex(): string {
    let s = "";
    for (let i = 0; i < 40; i++) s += HEX[Math.floor(this.prng() * 16)];
    return s;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  shuffleInPlace<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  fork(name: string): PathSeededStream {
    return new PathSeededStream(`${this.path}/${name}`);
  }
}

/** A normal draw by Box–Muller from two uniforms of `random` (the interface has no normal of its own). */
export function normal(random: RandomStream, mean: number, sd: number): number {
  const u = 1 - random.next();
  const v = random.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
