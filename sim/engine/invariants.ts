/**
 * Invariants checked while a run goes (`--check`, and always in the test suite). Each is cheap; together they
 * show that nothing silently went wrong: a violation stops the run with what is needed to replay it.
 */
export class InvariantViolation extends Error {
  constructor(
    readonly what: string,
    readonly timeUs: number,
    readonly seed: number,
    readonly node: string | null,
  ) {
    super(`invariant violated at simulated time ${(timeUs / 1000).toFixed(3)} ms${node === null ? "" : ` on node ${node}`} (seed ${seed}): ${what}`);
    this.name = "InvariantViolation";
  }
}

export class Invariants {
  private lastTime = 0;

  constructor(
    readonly enabled: boolean,
    readonly seed: number,
  ) {}

  /** Stops the run: `what` went wrong at `timeUs` (the scheduler's clock), on `node` if one is to blame. */
  fail(what: string, timeUs: number, node: string | null = null): never {
    throw new InvariantViolation(what, timeUs, this.seed, node);
  }

  /** Simulated time never goes backwards between the events protocols see. */
  time(nowUs: number, node: string): void {
    const now = nowUs;
    if (now < this.lastTime) this.fail(`time went backwards from ${this.lastTime} µs to ${now} µs`, now, node);
    this.lastTime = now;
  }
}
