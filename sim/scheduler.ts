/**
 * The event scheduler: one clock, events in (time, insertion sequence) order.
 *
 * A four-ary heap on typed arrays (half the depth of a binary heap, and children adjacent in memory) rather than one object per event: with 100k+ pending events, per-event
 * objects cost both allocation time and tens of megabytes. Each heap entry is a slot index; the slot holds the
 * handler and its argument. Cancellation is lazy: the slot is marked and discarded when it reaches the top.
 */
export type EventHandler = (arg: any) => void;

// A handle packs a slot index and the slot's generation, so a stale handle (the slot reused since) is
// recognised and cannot cancel somebody else's event.
const SLOT_BITS = 26;
const SLOT_LIMIT = 2 ** SLOT_BITS; // 67 M simultaneously pending events
const GENERATION_LIMIT = 2 ** (53 - SLOT_BITS);

export class Scheduler {
  private clock = 0;
  private fired = 0;
  private sequence = 0;

  // Heap, in parallel arrays.
  private size = 0;
  /** Entry i's time at keys[2i] and insertion sequence at keys[2i+1]: four children share a cache line. */
  private keys = new Float64Array(2048);
  private heapSlots = new Int32Array(1024);

  // Slots.
  private handlers: (EventHandler | null)[] = [];
  private args: unknown[] = [];
  private generations = new Float64Array(1024);
  /** Stack of free slot indices. */
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;

  /** Current simulated time in ms. */
  get now(): number {
    return this.clock;
  }

  /** Events in the queue, including cancelled ones not yet discarded. */
  get pending(): number {
    return this.size;
  }

  /** Events fired so far (cancelled ones are not counted). */
  get executed(): number {
    return this.fired;
  }

  schedule(time: number, handler: EventHandler, arg?: unknown): number {
    if (!(time >= this.clock) || time === Infinity) {
      throw new RangeError(`cannot schedule an event at ${time} ms: the clock is at ${this.clock} ms and events must be finite and not in the past`);
    }
    let slot: number;
    if (this.freeCount === 0) {
      slot = this.handlers.length;
      if (slot >= SLOT_LIMIT) throw new RangeError(`more than ${SLOT_LIMIT} events pending at once`);
      this.handlers.push(handler);
      this.args.push(arg);
      if (slot === this.generations.length) {
        const generations = new Float64Array(slot * 2);
        generations.set(this.generations);
        this.generations = generations;
      }
    } else {
      slot = this.freeSlots[--this.freeCount];
      this.handlers[slot] = handler;
      this.args[slot] = arg;
    }
    if (this.size === this.heapSlots.length) this.grow();
    this.siftUp(this.size++, time, this.sequence++, slot);
    return this.generations[slot] * SLOT_LIMIT + slot;
  }

  after(delay: number, handler: EventHandler, arg?: unknown): number {
    if (!(delay >= 0)) throw new RangeError(`cannot schedule an event after ${delay} ms: delays must be ≥ 0`);
    return this.schedule(this.clock + delay, handler, arg);
  }

  cancel(handle: number): boolean {
    if (!this.isPending(handle)) return false;
    const slot = handle % SLOT_LIMIT;
    // A null handler marks the slot cancelled, and drops the closure now rather than at its time.
    this.handlers[slot] = null;
    this.args[slot] = undefined;
    return true;
  }

  isPending(handle: number): boolean {
    if (!Number.isInteger(handle) || handle < 0) return false;
    const slot = handle % SLOT_LIMIT;
    return slot < this.handlers.length && this.generations[slot] === Math.floor(handle / SLOT_LIMIT) && this.handlers[slot] !== null;
  }

  /** Time of the next event that will fire, or Infinity. */
  nextTime(): number {
    this.discardCancelled();
    return this.size > 0 ? this.keys[0] : Infinity;
  }

  /** Fires the next event; false when none is left. */
  step(): boolean {
    this.discardCancelled();
    if (this.size === 0) return false;
    this.fireTop();
    return true;
  }

  /**
   * Fires every event at or before `time`, stopping early after `maxEvents`; returns how many fired. When
   * nothing is left at or before `time`, the clock is set to `time`, so a run's clock ends at its end.
   */
  runUntil(time: number, maxEvents = Infinity): number {
    let count = 0;
    while (count < maxEvents) {
      this.discardCancelled();
      if (this.size === 0 || this.keys[0] > time) {
        if (time > this.clock) this.clock = time;
        return count;
      }
      this.fireTop();
      count++;
    }
    return count;
  }

  private fireTop(): void {
    const slot = this.heapSlots[0];
    this.clock = this.keys[0];
    this.popTop();
    const handler = this.handlers[slot] as EventHandler;
    const arg = this.args[slot];
    this.release(slot);
    this.fired++;
    handler(arg);
  }

  private discardCancelled(): void {
    while (this.size > 0 && this.handlers[this.heapSlots[0]] === null) {
      const slot = this.heapSlots[0];
      this.popTop();
      this.release(slot);
    }
  }

  private release(slot: number): void {
    this.handlers[slot] = null;
    this.args[slot] = undefined;
    const generation = this.generations[slot] + 1;
    if (generation >= GENERATION_LIMIT) return; // retire the slot rather than let handles repeat
    this.generations[slot] = generation;
    if (this.freeCount === this.freeSlots.length) {
      const free = new Int32Array(this.freeCount * 2);
      free.set(this.freeSlots);
      this.freeSlots = free;
    }
    this.freeSlots[this.freeCount++] = slot;
  }

  private popTop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(0, this.keys[2 * last], this.keys[2 * last + 1], this.heapSlots[last]);
  }

  /** Places (time, seq, slot) at hole `i` or above, moving larger parents down (the hole technique). */
  private siftUp(i: number, time: number, seq: number, slot: number): void {
    const keys = this.keys;
    const slots = this.heapSlots;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = keys[2 * parent];
      const ps = keys[2 * parent + 1];
      if (pt < time || (pt === time && ps < seq)) break;
      keys[2 * i] = pt;
      keys[2 * i + 1] = ps;
      slots[i] = slots[parent];
      i = parent;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    slots[i] = slot;
  }

  /** Places (time, seq, slot) at hole `i` or below, moving smaller children up. */
  private siftDown(i: number, time: number, seq: number, slot: number): void {
    const keys = this.keys;
    const slots = this.heapSlots;
    const n = this.size;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      // The smallest of up to four children.
      let child = first;
      let ct = keys[2 * first];
      let cs = keys[2 * first + 1];
      const last = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < last; c++) {
        const t = keys[2 * c];
        if (t < ct || (t === ct && keys[2 * c + 1] < cs)) {
          child = c;
          ct = t;
          cs = keys[2 * c + 1];
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      keys[2 * i] = ct;
      keys[2 * i + 1] = cs;
      slots[i] = slots[child];
      i = child;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    slots[i] = slot;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const slots = new Int32Array(this.heapSlots.length * 2);
    slots.set(this.heapSlots);
    this.keys = keys;
    this.heapSlots = slots;
  }
}
