import type { SpaceTimeLimits } from "./space-time-limits.js";

/**
 * Start and finish tags of fair queueing on space-time, as fssim keeps them. A client's next put starts at the
 * later of the system's virtual time and the client's last finish tag (forgotten once all its puts have expired);
 * it finishes a size·TTL later. Serving a put pulls the virtual time up to just under its finish tag less one
 * maximum put, so that a client idle for a while re-enters at most one maximum put ahead of the busiest.
 */
export class VirtualClock {
  private virtualTime = 0;
  private readonly lastFinish = new Map<string, number>();
  private readonly maxPut: number;

  constructor(limits: SpaceTimeLimits) {
    this.maxPut = limits.maxSizeBytes * limits.maxTtlS;
  }

  finishTag(client: string, spaceTime: number): number {
    const last = this.lastFinish.get(client);
    const start = last === undefined ? this.virtualTime : Math.max(this.virtualTime, last);
    return start + spaceTime;
  }

  served(client: string, finish: number): void {
    this.lastFinish.set(client, finish);
    this.virtualTime = Math.max(this.virtualTime, finish - this.maxPut - 1);
  }

  /** Below its share: no tag of its own, or its tag has fallen behind the system's virtual time. */
  belowShare(client: string): boolean {
    const last = this.lastFinish.get(client);
    return last === undefined || last < this.virtualTime;
  }

  forget(client: string): void {
    this.lastFinish.delete(client);
  }
}
