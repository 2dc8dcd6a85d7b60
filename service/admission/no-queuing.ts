import type { AdmissionControl, Put, Reply } from "./admission-control.js";
import { type SpaceTimeLimits, spaceTimeOf, withinLimits } from "./space-time-limits.js";
import { StorageTree } from "./storage-tree.js";
import { StoredPuts } from "./stored-puts.js";
import { VirtualClock } from "./virtual-clock.js";

/**
 * fssim's NoQueuing: Fair Space-Time without a queue, deciding each put on arrival. A put whose finish tag lies
 * beyond the lowest finish tag accepted in the last two periods is over its share: CAP at once. Otherwise it is
 * accepted if the storage tree allows, else answered AGAIN one period later (so a retrying client waits).
 */
export class NoQueuingAdmission implements AdmissionControl {
  readonly name = "noQueuing";
  private readonly tree: StorageTree;
  private readonly clock: VirtualClock;
  private readonly stored = new StoredPuts();
  /** Finish tags of recent acceptances, oldest first. */
  private recent: Array<{ atS: number; finish: number }> = [];

  constructor(
    readonly periodS: number,
    private readonly limits: SpaceTimeLimits,
  ) {
    this.tree = new StorageTree(limits.rateBytesPerS, limits.capacityBytes);
    this.clock = new VirtualClock(limits);
  }

  offer(put: Put, nowS: number): Reply[] {
    if (!withinLimits(this.limits, put.sizeBytes, put.ttlS)) return [{ put, verdict: "cap", atS: nowS }];
    this.stored.advance(nowS, (client) => this.clock.forget(client));
    const horizon = nowS - 2 * this.periodS;
    while (this.recent.length > 0 && this.recent[0].atS < horizon) this.recent.shift();
    let lowest = Infinity;
    for (const r of this.recent) lowest = Math.min(lowest, r.finish);
    const finish = this.clock.finishTag(put.client, spaceTimeOf(put.sizeBytes, put.ttlS));
    if (finish > lowest) return [{ put, verdict: "cap", atS: nowS }];
    this.tree.advance(nowS);
    if (this.tree.tryAdd(put.sizeBytes, put.ttlS)) {
      this.stored.add(put.client, put.sizeBytes, nowS, put.ttlS);
      this.clock.served(put.client, finish);
      this.recent.push({ atS: nowS, finish });
      return [{ put, verdict: "ok", atS: nowS }];
    }
    return [{ put, verdict: "again", atS: nowS + this.periodS }];
  }

  nextTickS(): number {
    return Infinity;
  }

  tick(_nowS: number): Reply[] {
    return [];
  }
}
