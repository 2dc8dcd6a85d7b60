/**
 * Invariants checked while a run goes (`--check`, and always in the test suite). Each is cheap; together they
 * show that nothing silently went wrong: a violation stops the run with what is needed to replay it.
 */
export class InvariantViolation extends Error {
  constructor(
    readonly what: string,
    readonly timeMs: number,
    readonly seed: number,
    readonly node: string | null,
  ) {
    super(`invariant violated at simulated time ${timeMs.toFixed(3)} ms${node === null ? "" : ` on node ${node}`} (seed ${seed}): ${what}`);
    this.name = "InvariantViolation";
  }
}

export class Invariants {
  private lastTime = 0;

  constructor(
    readonly enabled: boolean,
    readonly seed: number,
  ) {}

  fail(what: string, timeMs: number, node: string | null = null): never {
    throw new InvariantViolation(what, timeMs, this.seed, node);
  }

  /** Simulated time never goes backwards between the events protocols see. */
  time(now: number, node: string): void {
    if (now < this.lastTime) this.fail(`time went backwards from ${this.lastTime} ms to ${now} ms`, now, node);
    this.lastTime = now;
  }
}
