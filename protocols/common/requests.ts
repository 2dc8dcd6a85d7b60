import type { Address, NodeRuntime, TimerHandle } from "../../sim/runtime/index.js";
import type { TimeoutStrategy } from "./timeouts.js";
import type { Coordinate } from "./vivaldi.js";

interface Pending {
  nonce: number;
  slot: number;
  to: Address;
  sentAt: number;
  timer: TimerHandle;
  onReply: (reply: any, rttMs: number, context: any) => void;
  onTimeout: (context: any) => void;
  context: unknown;
}

/**
 * A nonce names its slot (the low bits) and its request (the rest), so a stale reply cannot match a newer request
 * in the same slot until 32,768 more have been sent. Nonces stay below 2^31, V8's small integers: were some of
 * them heap numbers, every message shape with a nonce field would be generalised to hold either.
 */
const SLOT_BITS = 16;
const SLOTS = 2 ** SLOT_BITS;
const GENERATIONS = 2 ** (31 - SLOT_BITS);

/**
 * Request/reply with timeouts, the RPC every protocol here needs: a request gets a fresh nonce and a timer from
 * the timeout strategy; exactly one of its callbacks runs — on the reply (the RTT is sampled for the strategy),
 * or on the timeout (the strategy is told). Replies from anyone but the node asked are ignored. A reply with a
 * `coordinate` feeds Vivaldi timeouts. Both callbacks get the request's `context`, so that a protocol sending
 * the same kind of request many times can pass the same two functions rather than make new closures each time.
 *
 * Pending requests sit in reused slots rather than a map: most live one round trip, and a map that grows and
 * shrinks that often has its hash table reallocated again and again (a large share of Bamboo's garbage).
 */
export class Requests<M extends { nonce: number }> {
  private readonly slots: (Pending | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private issued = 0;

  constructor(
    private readonly rt: NodeRuntime<any>,
    private readonly timeouts: TimeoutStrategy,
  ) {}

  /**
   * Sends `build(nonce, arg)` to `to`, the request's message made with its fresh nonce. The message is built here
   * rather than handed in, so no caller's object is written into (a message sent is shared with its receiver and
   * must not change); `build` and `arg` let a caller pass a function made once rather than a closure per request.
   */
  send<A, R = unknown, C = undefined>(
    to: Address,
    build: (nonce: number, arg: A) => M,
    arg: A,
    bytes: number,
    category: string,
    onReply: (reply: R, rttMs: number, context: C) => void,
    onTimeout: (context: C) => void,
    context?: C,
  ): void {
    const slot = this.freeSlots.pop() ?? this.newSlot();
    const nonce = this.issued * SLOTS + slot;
    this.issued = (this.issued + 1) % GENERATIONS;
    const pending: Pending = { nonce, slot, to, sentAt: this.rt.now(), timer: -1, onReply, onTimeout, context };
    pending.timer = this.rt.setTimer(this.timeouts.timeout(to), this.expire, pending);
    this.slots[slot] = pending;
    this.rt.send(to, build(nonce, arg), bytes, category);
  }

  /** A request's timer: unless it was answered in the meantime, it has timed out. */
  private readonly expire = (p: Pending): void => {
    if (this.slots[p.slot] !== p) return;
    this.free(p.slot);
    this.timeouts.expired(p.to);
    p.onTimeout(p.context);
  };

  /** A reply carrying `nonce` came from `from`; false when no request of ours was waiting for it. */
  answer(from: Address, nonce: number, reply: unknown): boolean {
    const slot = nonce % SLOTS;
    const p = this.slots[slot];
    if (p === undefined || p.nonce !== nonce || p.to !== from) return false;
    this.free(slot);
    this.rt.cancelTimer(p.timer);
    const rtt = this.rt.now() - p.sentAt;
    this.timeouts.sample(from, rtt);
    // Replies carry the sender's Vivaldi coordinate when timeouts come from coordinates.
    const coordinate = (reply as { coordinate?: Coordinate | null }).coordinate;
    if (coordinate != null) this.timeouts.observeCoordinate?.(from, rtt, coordinate);
    p.onReply(reply, rtt, p.context);
    return true;
  }

  private newSlot(): number {
    if (this.slots.length >= SLOTS) throw new RangeError(`more than ${SLOTS} requests pending at one node`);
    this.slots.push(undefined);
    return this.slots.length - 1;
  }

  /** The request in `slot` has ended (answered or timed out): the slot takes the next one. */
  private free(slot: number): void {
    this.slots[slot] = undefined;
    this.freeSlots.push(slot);
  }
}
