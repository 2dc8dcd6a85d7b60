/**
 * A node's own stream of random numbers. The simulator seeds it from the scenario's seed and the node's
 * incarnation, so a run is reproducible; a runtime over real sockets may seed it however it likes.
 */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  exponential(mean: number): number;
  /** Standard normal (mean 0, deviation 1). */
  normal(): number;
  /** 160 random bits as 40 lowercase hex digits: a random key in the identifier space. */
  bits160hex(): string;
  pick<T>(items: readonly T[]): T;
  shuffleInPlace<T>(items: T[]): T[];
  /** An independent stream named `name`: drawing from it never shifts this one. */
  fork(name: string): RandomStream;
}
