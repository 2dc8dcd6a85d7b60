import type { RandomStream } from "../../runtime/random-stream.js";
import type { Verdict } from "../../../service/admission/admission-control.js";

/**
 * fssim's four client models. Every client puts values of one size and TTL at gaps drawn from N(period, period/10)
 * (rounded up to whole ms); they differ in what they do when a put is refused:
 * - ecnBit: on AGAIN, put again at once (it lands in the next period), until its next new put is due; CAP ends it;
 * - fixedSubmitRate: never retries;
 * - fixedAcceptRate: on any refusal, retries after N(retry, retry/10) if that is before its next new put;
 * - bursty: no retries; alternates off and on periods (off first), putting only while on.
 */
export type ClientModelName = "ecnBit" | "fixedSubmitRate" | "fixedAcceptRate" | "bursty";

export interface ClientSpec {
  readonly name: string;
  readonly model: ClientModelName;
  readonly periodMs: number;
  readonly sizeBytes: number;
  readonly ttlS: number;
  readonly startMs: number;
  /** No new put at or after this time (defaults to the end of the run). */
  readonly stopMs?: number;
  readonly retryMs?: number;
  readonly onMs?: number;
  readonly offMs?: number;
}

/** What a client may do to the world around it. */
export interface ClientContext {
  nowMs(): number;
  at(ms: number, run: () => void): void;
  put(client: SimulatedClient, sizeBytes: number, ttlS: number): void;
}

export class SimulatedClient {
  private nextNewPutMs = 0;
  private nextSwitchMs = 0;

  constructor(
    readonly spec: ClientSpec,
    private readonly random: RandomStream,
    private readonly stopMs: number,
  ) {
    const s = spec;
    if (!(s.periodMs > 0) || !(s.sizeBytes > 0) || !(s.ttlS > 0) || !(s.startMs >= 0)) {
      throw new Error(`client ${s.name}: period, size and TTL must be positive and start non-negative`);
    }
    if (s.model === "fixedAcceptRate" && !(s.retryMs !== undefined && s.retryMs > 0)) throw new Error(`client ${s.name}: fixedAcceptRate needs retryMs > 0`);
    if (s.model === "bursty" && !(s.onMs !== undefined && s.onMs > 0 && s.offMs !== undefined && s.offMs > 0)) {
      throw new Error(`client ${s.name}: bursty needs onMs and offMs > 0`);
    }
  }

  start(ctx: ClientContext): void {
    if (this.spec.model === "bursty") {
      this.nextSwitchMs = this.spec.startMs + (this.spec.offMs as number);
      ctx.at(this.nextSwitchMs, () => this.burstWake(ctx));
    } else {
      ctx.at(this.spec.startMs, () => this.wake(ctx));
    }
  }

  /** A reply reached this client. */
  hear(verdict: Verdict, ctx: ClientContext): void {
    const now = ctx.nowMs();
    if (this.spec.model === "ecnBit" && verdict === "again" && now < this.nextNewPutMs) {
      ctx.put(this, this.spec.sizeBytes, this.spec.ttlS);
    } else if (this.spec.model === "fixedAcceptRate" && verdict !== "ok") {
      const wait = this.gapMs(this.spec.retryMs as number);
      if (now + wait < this.nextNewPutMs) ctx.at(now + wait, () => ctx.put(this, this.spec.sizeBytes, this.spec.ttlS));
    }
  }

  /** Mean rate of new puts (not retries) over a long run, per second. */
  meanPutsPerS(): number {
    const base = 1000 / this.spec.periodMs;
    if (this.spec.model !== "bursty") return base;
    return (base * (this.spec.onMs as number)) / ((this.spec.onMs as number) + (this.spec.offMs as number));
  }

  private wake(ctx: ClientContext): void {
    const now = ctx.nowMs();
    ctx.put(this, this.spec.sizeBytes, this.spec.ttlS);
    const gap = this.gapMs(this.spec.periodMs);
    this.nextNewPutMs = now + gap;
    if (now + gap < this.stop()) ctx.at(now + gap, () => this.wake(ctx));
  }

  private burstWake(ctx: ClientContext): void {
    const now = ctx.nowMs();
    if (now === this.nextSwitchMs) this.nextSwitchMs = now + (this.spec.onMs as number);
    ctx.put(this, this.spec.sizeBytes, this.spec.ttlS);
    const gap = this.gapMs(this.spec.periodMs);
    if (now + gap >= this.stop()) return;
    if (now + gap < this.nextSwitchMs) {
      ctx.at(now + gap, () => this.burstWake(ctx));
    } else {
      this.nextSwitchMs = now + (this.spec.offMs as number);
      ctx.at(this.nextSwitchMs, () => this.burstWake(ctx));
    }
  }

  private stop(): number {
    return Math.min(this.spec.stopMs ?? Infinity, this.stopMs);
  }

  private gapMs(mean: number): number {
    return Math.max(1, Math.ceil(mean + 0.1 * mean * this.random.normal()));
  }
}
