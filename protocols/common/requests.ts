import type { Address, NodeRuntime, TimerHandle } from "../../sim/runtime.js";
import type { TimeoutStrategy } from "./timeouts.js";
import type { Coordinate } from "./vivaldi.js";

interface Pending {
  to: Address;
  sentAt: number;
  timer: TimerHandle;
  onReply: (reply: any, rttMs: number) => void;
  onTimeout: () => void;
}

/**
 * Request/reply with timeouts, the RPC every protocol here needs: a request gets a fresh nonce and a timer from
 * the timeout strategy; exactly one of its callbacks runs — on the reply (the RTT is sampled for the strategy),
 * or on the timeout (the strategy is told). Replies from anyone but the node asked are ignored. A reply with a
 * `coordinate` feeds Vivaldi timeouts.
 */
export class Requests<M extends { nonce: number }> {
  private readonly pending = new Map<number, Pending>();
  private nextNonce = 0;

  constructor(
    private readonly rt: NodeRuntime<any>,
    private readonly timeouts: TimeoutStrategy,
  ) {}

  /** Sends `message` with a fresh nonce written into it: pass an object made for this request alone. */
  send<R = unknown>(to: Address, message: M, bytes: number, category: string, onReply: (reply: R, rttMs: number) => void, onTimeout: () => void): void {
    const nonce = this.nextNonce++;
    const timer = this.rt.setTimer(this.timeouts.timeout(to), () => {
      if (!this.pending.delete(nonce)) return;
      this.timeouts.expired(to);
      onTimeout();
    });
    this.pending.set(nonce, { to, sentAt: this.rt.now(), timer, onReply, onTimeout });
    message.nonce = nonce;
    this.rt.send(to, message, bytes, category);
  }

  /** A reply carrying `nonce` came from `from`; false when no request of ours was waiting for it. */
  answer(from: Address, nonce: number, reply: unknown): boolean {
    const p = this.pending.get(nonce);
    if (p === undefined || p.to !== from) return false;
    this.pending.delete(nonce);
    this.rt.cancelTimer(p.timer);
    const rtt = this.rt.now() - p.sentAt;
    this.timeouts.sample(from, rtt);
    // Replies carry the sender's Vivaldi coordinate when timeouts come from coordinates.
    const coordinate = (reply as { coordinate?: Coordinate | null }).coordinate;
    if (coordinate != null) this.timeouts.observeCoordinate?.(from, rtt, coordinate);
    p.onReply(reply, rtt);
    return true;
  }
}
