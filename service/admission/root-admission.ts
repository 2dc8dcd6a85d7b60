import type { AdmissionDefinition, AdmissionVerdict, NodeRuntime, PutAdmission, TimerHandle } from "../../sim/runtime/index.js";
import type { AdmissionControl, Reply } from "./admission-control.js";
import { createAdmission } from "./algorithms.js";
import { openDhtSettings } from "./open-dht.js";
import { spaceTimeLimits } from "./space-time-limits.js";

/** The scenario's `storage.admission`, as the engine resolved it (bytes/s, ms). */
export interface RootAdmissionSpec {
  readonly algorithm: "none" | AdmissionControl["name"];
  readonly rateBytesPerS: number;
  readonly periodMs: number;
}

/** What the root's admission needs of the store it guards. */
export interface StoreLimits {
  readonly maxTtlMs: number;
  readonly maxValueBytes: number;
}

/**
 * One root's admission control: a single-node algorithm (pure, its time given by the caller) driven by the node's
 * own clock and timers. Puts are offered as they reach the root; the verdicts the algorithm gives now are passed on
 * now, those it gives later (a queued put at the end of its period, a put parked in openDht's slop, a delayed AGAIN)
 * when a timer set for its next tick or the reply's time fires. A node that departs takes its queue with it: its
 * timers never fire, and the gateways' re-sends find the key's next root.
 */
export class RootAdmission implements PutAdmission {
  private readonly waiting = new Map<number, (verdict: AdmissionVerdict) => void>();
  private nextId = 0;
  private tickTimer: TimerHandle = -1;
  private tickAtS = Infinity;
  private readonly ticked = () => {
    this.tickTimer = -1;
    this.tickAtS = Infinity;
    this.deliver(this.control.tick(this.nowS));
    this.arm();
  };
  private readonly replyDue = (reply: Reply) => this.decide(reply);

  constructor(
    private readonly rt: NodeRuntime,
    private readonly control: AdmissionControl,
  ) {}

  private get nowS(): number {
    return this.rt.now() / 1000;
  }

  offer(client: number, sizeBytes: number, ttlMs: number, decide: (verdict: AdmissionVerdict) => void): void {
    const id = this.nextId++;
    this.waiting.set(id, decide);
    this.deliver(this.control.offer({ id, client: String(client), sizeBytes, ttlS: ttlMs / 1000 }, this.nowS));
    this.arm();
  }

  private deliver(replies: readonly Reply[]): void {
    const now = this.nowS;
    for (const r of replies) {
      if (r.atS > now) this.rt.setTimer((r.atS - now) * 1000, this.replyDue, r);
      else this.decide(r);
    }
  }

  private decide(reply: Reply): void {
    const decide = this.waiting.get(reply.put.id);
    if (decide === undefined) return;
    this.waiting.delete(reply.put.id);
    decide(reply.verdict);
  }

  /** A timer for the algorithm's next tick, if it wants one sooner than the one set. */
  private arm(): void {
    const at = this.control.nextTickS();
    if (!Number.isFinite(at) || at >= this.tickAtS) return;
    if (this.tickTimer !== -1) this.rt.cancelTimer(this.tickTimer);
    this.tickAtS = at;
    this.tickTimer = this.rt.setTimer(Math.max(0, (at - this.nowS) * 1000), this.ticked);
  }
}

/** Every put accepted at once: admission "none", kept as a definition so a sweep can compare it like the others. */
const ACCEPT_ALL: PutAdmission = { offer: (_client, _size, _ttl, decide) => decide("ok") };

/**
 * Each node's admission control for a scenario's `storage.admission`. The space-time algorithms' capacity is
 * rate × the store's maximum TTL + its largest value; openDht's disks are rate × 8 × each TTL class's length, so
 * its fill rate at a root with eight default peers is `rate` per class. Disk sizes are not gossiped: every root
 * assumes eight leaf-set peers with the default disk, as Bamboo does before it hears from them.
 */
export function rootAdmission(spec: RootAdmissionSpec, limits: StoreLimits): AdmissionDefinition {
  const algorithm = spec.algorithm;
  if (algorithm === "none") return { name: "none", create: () => ACCEPT_ALL };
  const periodS = spec.periodMs / 1000;
  // The baselines take no rate: they accept one put a period.
  const space = spec.rateBytesPerS > 0 ? spaceTimeLimits({ rateBytesPerS: spec.rateBytesPerS, maxTtlS: limits.maxTtlMs / 1000, maxSizeBytes: limits.maxValueBytes }) : undefined;
  const openDht = openDhtSettings({ ownDiskBytes: openDhtSettings().classTtlS.map((t) => spec.rateBytesPerS * 8 * t) });
  return {
    name: algorithm,
    create(rt: NodeRuntime): PutAdmission {
      const control = createAdmission(algorithm, rt.random.fork("admission"), { periodS: periodS > 0 ? periodS : undefined, limits: space, openDht });
      return new RootAdmission(rt, control);
    },
  };
}
