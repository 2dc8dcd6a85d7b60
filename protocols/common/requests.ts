import type { Address, NodeRuntime } from "../../sim/runtime.js";
import type { TimeoutStrategy } from "./timeouts.js";
import type { Coordinate } from "./vivaldi.js";

/** A nonce names its slot (the low bits) and its request (the rest), so a stale reply cannot match a newer request. */
const SLOTS = 2 ** 20;
const NUMBERS = 4;
const CALLBACKS = 3;
const FREE = -1;

/**
 * Request/reply with timeouts, the RPC every protocol here needs: a request gets a fresh nonce and a timer from
 * the timeout strategy; exactly one of its callbacks runs — on the reply (the RTT is sampled for the strategy),
 * or on the timeout (the strategy is told). Replies from anyone but the node asked are ignored. A reply with a
 * `coordinate` feeds Vivaldi timeouts. Both callbacks get the request's `context`, so that a protocol sending
 * the same kind of request many times can pass the same two functions rather than make new closures each time.
 *
 * Pending requests sit in reused slots rather than a map or an object each: most live one round trip, and a map
 * that grows and shrinks that often has its hash table reallocated again and again (once a large share of
 * Bamboo's garbage). A slot's numbers sit in one typed array, its callbacks in one array, and its timer is handed
 * the slot number: a request allocates nothing of its own.
 */
export class Requests<M extends { nonce: number }> {
  /** Per slot, at NUMBERS × slot: nonce (FREE when the slot is free), send time, timer handle, node asked. */
  private numbers = new Float64Array(0);
  /** Per slot, at CALLBACKS × slot: onReply, onTimeout, context. */
  private readonly callbacks: unknown[] = [];
  private readonly freeSlots: number[] = [];
  private issued = 0;

  constructor(
    private readonly rt: NodeRuntime<any>,
    private readonly timeouts: TimeoutStrategy,
  ) {}

  /** Sends `message` with a fresh nonce written into it: pass an object made for this request alone. */
  send<R = unknown, C = undefined>(
    to: Address,
    message: M,
    bytes: number,
    category: string,
    onReply: (reply: R, rttMs: number, context: C) => void,
    onTimeout: (context: C) => void,
    context?: C,
  ): void {
    const slot = this.freeSlots.pop() ?? this.newSlot();
    const nonce = this.issued++ * SLOTS + slot;
    const at = NUMBERS * slot;
    this.numbers[at] = nonce;
    this.numbers[at + 1] = this.rt.now();
    this.numbers[at + 2] = this.rt.setTimer(this.timeouts.timeout(to), this.expire, slot);
    this.numbers[at + 3] = to;
    const c = CALLBACKS * slot;
    this.callbacks[c] = onReply;
    this.callbacks[c + 1] = onTimeout;
    this.callbacks[c + 2] = context;
    message.nonce = nonce;
    this.rt.send(to, message, bytes, category);
  }

  /** A request's timer: the request is still pending (an answer cancels its timer), so it has timed out. */
  private readonly expire = (slot: number): void => {
    const to = this.numbers[NUMBERS * slot + 3];
    const c = CALLBACKS * slot;
    const onTimeout = this.callbacks[c + 1] as (context: unknown) => void;
    const context = this.callbacks[c + 2];
    this.free(slot);
    this.timeouts.expired(to);
    onTimeout(context);
  };

  /** A reply carrying `nonce` came from `from`; false when no request of ours was waiting for it. */
  answer(from: Address, nonce: number, reply: unknown): boolean {
    const slot = nonce % SLOTS;
    const at = NUMBERS * slot;
    if (at >= this.numbers.length || this.numbers[at] !== nonce || this.numbers[at + 3] !== from) return false;
    const c = CALLBACKS * slot;
    const onReply = this.callbacks[c] as (reply: unknown, rttMs: number, context: unknown) => void;
    const context = this.callbacks[c + 2];
    this.free(slot);
    this.rt.cancelTimer(this.numbers[at + 2]);
    const rtt = this.rt.now() - this.numbers[at + 1];
    this.timeouts.sample(from, rtt);
    // Replies carry the sender's Vivaldi coordinate when timeouts come from coordinates.
    const coordinate = (reply as { coordinate?: Coordinate | null }).coordinate;
    if (coordinate != null) this.timeouts.observeCoordinate?.(from, rtt, coordinate);
    onReply(reply, rtt, context);
    return true;
  }

  private newSlot(): number {
    const slot = this.numbers.length / NUMBERS;
    if (slot >= SLOTS) throw new RangeError(`more than ${SLOTS} requests pending at one node`);
    const numbers = new Float64Array(Math.max(NUMBERS * 8, 2 * this.numbers.length)).fill(FREE);
    numbers.set(this.numbers);
    this.numbers = numbers;
    // The new slots beyond this one are free too: the next ones taken are the lowest.
    for (let s = numbers.length / NUMBERS - 1; s > slot; s--) this.freeSlots.push(s);
    return slot;
  }

  /** The request in `slot` has ended (answered or timed out): the slot takes the next one. */
  private free(slot: number): void {
    this.numbers[NUMBERS * slot] = FREE;
    const c = CALLBACKS * slot;
    this.callbacks[c] = this.callbacks[c + 1] = this.callbacks[c + 2] = undefined;
    this.freeSlots.push(slot);
  }
}
