import { EventHeap } from "./event-heap.js";
import { grown } from "./typed-arrays.js";

/**
 * The event scheduler: one clock, events in (time, insertion sequence) order. Times are whole microseconds
 * (see sim-time.ts).
 *
 * Events live in slots (handler, argument, time, sequence) rather than one object each: with 100k+ pending events,
 * per-event objects cost both allocation time and tens of megabytes. The slots are ordered by a timing wheel in
 * front of a heap (a calendar queue): only events due before the wheel's horizon sit in the small `near` heap;
 * later ones wait, unsorted, in a bucket per `bucketUs` of simulated time, and events beyond the wheel's reach in a
 * `far` heap. Each time the near heap runs dry the next bucket moves into it. The heap a pop walks down thus holds
 * a few milliseconds of events, not all of them, and a request's timeout cancelled well before it was due never
 * enters it. Cancellation is lazy: the slot is marked and dropped when it reaches the top or its bucket is moved.
 * The order is exactly (time, sequence) whatever the wheel's shape, so runs do not depend on it.
 */
export type EventHandler = (arg: any, aux: any) => void;

// A handle packs a slot index and the slot's generation, so a stale handle (the slot reused since) is
// recognised and cannot cancel somebody else's event.
const SLOT_BITS = 26;
const SLOT_LIMIT = 2 ** SLOT_BITS; // 67 M simultaneously pending events
const GENERATION_LIMIT = 2 ** (53 - SLOT_BITS);
const NONE = -1;

export interface WheelShape {
  /** Simulated time per bucket (µs). */
  bucketUs: number;
  /** Buckets in the wheel, a power of two; bucketUs × buckets is how far ahead the wheel reaches. */
  buckets: number;
}

// 2 ms × 16,384 buckets reaches 33 s ahead: messages and most timers land in the wheel, sessions in the far heap.
const DEFAULT_SHAPE: WheelShape = { bucketUs: 2000, buckets: 16_384 };

export class Scheduler {
  private clock = 0;
  private fired = 0;
  private sequence = 0;

  private readonly bucketUs: number;
  private readonly mask: number;
  private readonly reach: number;
  /** Events due before bucket number `horizon` (time / bucketUs, rounded down) are in the near heap. */
  private horizon = 0;
  private readonly near = new EventHeap();
  private readonly far = new EventHeap();
  /** First slot of each bucket's list, linked through `nextInBucket`. */
  private readonly bucketHeads: Int32Array;
  private inWheel = 0;

  // Slots, each one's fields side by side: with hundreds of thousands of events pending, an event's fields are
  // cold when it is placed, moved from its bucket and fired, and side by side they are two cache misses (its
  // references, its numbers) rather than one for each of seven arrays.
  /** Slot s: its handler (null once fired or cancelled) at 3s, argument at 3s + 1, second argument (for callers
   * that pass their own handler and argument through one of theirs) at 3s + 2. */
  private refs: unknown[] = [];
  /** Slot s: its generation at 4s, time at 4s + 1, insertion sequence at 4s + 2, next slot in its bucket at 4s + 3. */
  private numbers = new Float64Array(4 * 1024);
  private slotCount = 0;
  /** Stack of free slot indices. */
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;

  constructor(shape: WheelShape = DEFAULT_SHAPE) {
    if (!(shape.bucketUs > 0) || !Number.isInteger(Math.log2(shape.buckets))) {
      throw new RangeError(`scheduler wheel: expected bucketUs > 0 and a power-of-two number of buckets, got ${shape.bucketUs} µs × ${shape.buckets}`);
    }
    this.bucketUs = shape.bucketUs;
    this.mask = shape.buckets - 1;
    this.reach = shape.buckets;
    this.bucketHeads = new Int32Array(shape.buckets).fill(NONE);
  }

  /** Current simulated time in µs. */
  get nowUs(): number {
    return this.clock;
  }

  /** Events in the queue, including cancelled ones not yet discarded. */
  get pending(): number {
    return this.near.size + this.inWheel + this.far.size;
  }

  /** Events fired so far (cancelled ones are not counted). */
  get executed(): number {
    return this.fired;
  }

  schedule(timeUs: number, handler: EventHandler, arg?: unknown, aux?: unknown): number {
    const time = timeUs;
    if (!(time >= this.clock) || !Number.isSafeInteger(time)) {
      throw new RangeError(`cannot schedule an event at ${time} µs: the clock is at ${this.clock} µs and events must be whole microseconds, not in the past`);
    }
    let slot: number;
    if (this.freeCount === 0) {
      slot = this.slotCount;
      if (slot >= SLOT_LIMIT) throw new RangeError(`more than ${SLOT_LIMIT} events pending at once`);
      this.slotCount++;
      this.refs.push(handler, arg, aux);
      if (4 * slot === this.numbers.length) this.numbers = grown(this.numbers, 2 * this.numbers.length);
    } else {
      slot = this.freeSlots[--this.freeCount];
      const r = 3 * slot;
      this.refs[r] = handler;
      this.refs[r + 1] = arg;
      this.refs[r + 2] = aux;
    }
    this.place(slot, time, this.sequence++);
    return this.numbers[4 * slot] * SLOT_LIMIT + slot;
  }

  after(delayUs: number, handler: EventHandler, arg?: unknown, aux?: unknown): number {
    if (!(delayUs >= 0)) throw new RangeError(`cannot schedule an event after ${delayUs} µs: delays must be ≥ 0`);
    return this.schedule(this.clock + delayUs, handler, arg, aux);
  }

  cancel(handle: number): boolean {
    if (!this.isPending(handle)) return false;
    // A null handler marks the slot cancelled, and drops the closure now rather than at its time.
    this.clear(handle % SLOT_LIMIT);
    return true;
  }

  isPending(handle: number): boolean {
    if (!Number.isInteger(handle) || handle < 0) return false;
    const slot = handle % SLOT_LIMIT;
    return slot < this.slotCount && this.numbers[4 * slot] === Math.floor(handle / SLOT_LIMIT) && this.refs[3 * slot] !== null;
  }

  /** Time (µs) of the next event that will fire, or Infinity. */
  nextTimeUs(): number {
    return this.settle() ? this.near.topTime : Infinity;
  }

  /** Fires the next event; false when none is left. */
  step(): boolean {
    if (!this.settle()) return false;
    this.fireTop();
    return true;
  }

  /**
   * Fires every event at or before `timeUs`, stopping early after `maxEvents`; returns how many fired. When
   * nothing is left at or before it, the clock is set to `timeUs`, so a run's clock ends at its end.
   */
  runUntil(timeUs: number, maxEvents = Infinity): number {
    const time = timeUs;
    let count = 0;
    while (count < maxEvents) {
      if (!this.settle() || this.near.topTime > time) {
        if (time > this.clock) this.clock = time;
        return count;
      }
      this.fireTop();
      count++;
    }
    return count;
  }

  private fireTop(): void {
    const slot = this.near.topSlot;
    this.clock = this.near.topTime;
    this.near.pop();
    const r = 3 * slot;
    const handler = this.refs[r] as EventHandler;
    const arg = this.refs[r + 1];
    const aux = this.refs[r + 2];
    this.release(slot);
    this.fired++;
    handler(arg, aux);
  }

  /** Puts a slot's event where its time belongs: the near heap, a bucket of the wheel, or the far heap. */
  private place(slot: number, time: number, seq: number): void {
    const bucket = Math.floor(time / this.bucketUs);
    if (bucket < this.horizon) return this.near.push(time, seq, slot);
    const n = 4 * slot;
    this.numbers[n + 1] = time;
    this.numbers[n + 2] = seq;
    if (bucket >= this.horizon + this.reach) return this.far.push(time, seq, slot);
    // Bucket numbers below 2^53 wrap exactly under the 32-bit AND.
    const b = bucket & this.mask;
    this.numbers[n + 3] = this.bucketHeads[b];
    this.bucketHeads[b] = slot;
    this.inWheel++;
  }

  /** Brings the next event that will fire to the top of the near heap; false when none is pending. */
  private settle(): boolean {
    for (;;) {
      if (this.near.size === 0 && !this.refill()) return false;
      const slot = this.near.topSlot;
      if (this.refs[3 * slot] !== null) return true;
      this.near.pop();
      this.release(slot);
    }
  }

  /** Moves buckets into the empty near heap until it holds an event; false when nothing is pending at all. */
  private refill(): boolean {
    while (this.near.size === 0) {
      if (this.inWheel === 0) {
        if (this.far.size === 0) return false;
        // Nothing in the wheel: skip the empty time to the far heap's first bucket.
        this.horizon = Math.max(this.horizon, Math.floor(this.far.topTime / this.bucketUs));
        this.pullFar();
      }
      const b = this.horizon & this.mask;
      let slot = this.bucketHeads[b];
      this.bucketHeads[b] = NONE;
      this.horizon++;
      const numbers = this.numbers;
      while (slot !== NONE) {
        const n = 4 * slot;
        const next = numbers[n + 3] | 0;
        this.inWheel--;
        if (this.refs[3 * slot] === null) this.release(slot);
        else this.near.push(numbers[n + 1], numbers[n + 2], slot);
        slot = next;
      }
      this.pullFar();
    }
    return true;
  }

  /** Moves far events the advancing wheel now reaches into their buckets. */
  private pullFar(): void {
    const far = this.far;
    while (far.size > 0 && Math.floor(far.topTime / this.bucketUs) < this.horizon + this.reach) {
      const slot = far.topSlot;
      far.pop();
      if (this.refs[3 * slot] === null) this.release(slot);
      else this.place(slot, this.numbers[4 * slot + 1], this.numbers[4 * slot + 2]);
    }
  }

  private clear(slot: number): void {
    const r = 3 * slot;
    this.refs[r] = null;
    this.refs[r + 1] = undefined;
    this.refs[r + 2] = undefined;
  }

  private release(slot: number): void {
    this.clear(slot);
    const generation = this.numbers[4 * slot] + 1;
    if (generation >= GENERATION_LIMIT) return; // retire the slot rather than let handles repeat
    this.numbers[4 * slot] = generation;
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grown(this.freeSlots, this.freeCount * 2);
    this.freeSlots[this.freeCount++] = slot;
  }
}
