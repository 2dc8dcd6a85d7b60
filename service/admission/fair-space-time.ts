import type { Put, Reply } from "./admission-control.js";
import { MinHeap } from "./min-heap.js";
import { PeriodicAdmission } from "./periodic-admission.js";
import { type SpaceTimeLimits, spaceTimeOf, withinLimits } from "./space-time-limits.js";
import { StorageTree } from "./storage-tree.js";
import { VirtualClock } from "./virtual-clock.js";

interface Tagged {
  readonly put: Put;
  readonly finish: number;
  readonly seq: number;
}

/**
 * Fair Space-Time (fssim's VirtualTime): fair queueing where a put's cost is its space-time, size·TTL. Each
 * period, every client's first waiting put gets a finish tag; puts are served in increasing finish tag and
 * accepted if the storage tree allows; a client's next waiting put then joins with its own tag. A refused put is
 * answered AGAIN if its client is below its share (its last finish tag is behind the system's virtual time, or it
 * has none), else CAP.
 */
export class FairSpaceTimeAdmission extends PeriodicAdmission {
  readonly name = "fairSpaceTime";
  private readonly tree: StorageTree;
  private readonly clock: VirtualClock;

  constructor(
    periodS: number,
    private readonly limits: SpaceTimeLimits,
  ) {
    super(periodS);
    this.tree = new StorageTree(limits.rateBytesPerS, limits.capacityBytes);
    this.clock = new VirtualClock(limits);
  }

  override offer(put: Put, nowS: number): Reply[] {
    if (!withinLimits(this.limits, put.sizeBytes, put.ttlS)) return [{ put, verdict: "cap", atS: nowS }];
    return super.offer(put, nowS);
  }

  protected override allExpired(client: string): void {
    this.clock.forget(client);
  }

  protected decide(puts: Put[], nowS: number): Reply[] {
    this.tree.advance(nowS);
    // Each client's puts wait in arrival order; only the head of each is in the fair queue at a time.
    const waiting = new Map<string, Put[]>();
    for (const put of puts) {
      const queue = waiting.get(put.client);
      if (queue === undefined) waiting.set(put.client, [put]);
      else queue.push(put);
    }
    let seq = 0;
    const queue = new MinHeap<Tagged>((a, b) => a.finish < b.finish || (a.finish === b.finish && a.seq < b.seq));
    const enqueueHead = (client: string): void => {
      const put = (waiting.get(client) as Put[]).shift();
      if (put !== undefined) queue.push({ put, finish: this.clock.finishTag(client, spaceTimeOf(put.sizeBytes, put.ttlS)), seq: seq++ });
    };
    for (const client of waiting.keys()) enqueueHead(client);
    const replies: Reply[] = [];
    for (let head = queue.pop(); head !== undefined; head = queue.pop()) {
      const { put, finish } = head;
      if (this.tree.tryAdd(put.sizeBytes, put.ttlS)) {
        this.clock.served(put.client, finish);
        replies.push(this.accept(put, nowS));
      } else {
        replies.push({ put, verdict: this.clock.belowShare(put.client) ? "again" : "cap", atS: nowS });
      }
      enqueueHead(put.client);
    }
    return replies;
  }
}
