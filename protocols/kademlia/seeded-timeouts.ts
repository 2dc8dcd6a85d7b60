import type { Address } from "../../sim/runtime/index.js";
import type { TimeoutStrategy } from "../common/timeouts.js";

/**
 * TCP-style per-contact timeouts, with a second, shorter one for lookups: how long a lookup waits for a contact
 * before it moves on. A Kademlia lookup asks mostly contacts it has never sampled (they come in other nodes'
 * replies), and under churn many of them are dead: at the 5 s maximum a few dead contacts cost a lookup tens of
 * seconds. So a lookup gives a contact without samples an RTO seeded from every sample this node has taken, of
 * any contact — one Jacobson/Karels estimator over all of them (SRTT + 4·MDEV + 10 ms, capped at the maximum) —
 * and a sampled contact its own RTO. The request itself keeps the underlying strategy's timeout (the maximum for a
 * contact never sampled): a distant contact slower than the seed is skipped by the lookup, not declared dead, and
 * its late answer still counts. Until this node has any sample the seed is the maximum.
 */
export class SeededTimeouts implements TimeoutStrategy {
  private srtt = 0;
  private mdev = 0;
  private samples = 0;

  constructor(
    private readonly perContact: TimeoutStrategy,
    private readonly maxMs: number,
    private readonly constantMs = 10,
  ) {}

  timeout(peer: Address): number {
    return this.perContact.timeout(peer);
  }

  /** How long a lookup waits for `peer` before asking the next closest in its place. */
  skipAfter(peer: Address): number {
    return this.perContact.rtt(peer) !== undefined ? this.perContact.timeout(peer) : this.seed();
  }

  /** The RTO a contact never sampled gets in lookups. */
  seed(): number {
    return this.samples === 0 ? this.maxMs : Math.min(this.maxMs, this.srtt + 4 * this.mdev + this.constantMs);
  }

  sample(peer: Address, rttMs: number): void {
    this.perContact.sample(peer, rttMs);
    if (this.samples++ === 0) {
      this.srtt = rttMs;
      this.mdev = rttMs / 2;
      return;
    }
    const err = rttMs - this.srtt;
    this.srtt += err / 8;
    this.mdev += (Math.abs(err) - this.mdev) / 4;
  }

  expired(peer: Address): void {
    this.perContact.expired(peer);
  }

  rtt(peer: Address): number | undefined {
    return this.perContact.rtt(peer);
  }

  forget(peer: Address): void {
    this.perContact.forget(peer);
  }
}
