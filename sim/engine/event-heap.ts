import { grown } from "./typed-arrays.js";

/**
 * A four-ary min-heap of (time, insertion sequence, slot) on typed arrays: half the depth of a binary heap, four
 * children in adjacent memory, and no object per entry. The scheduler keeps its events in slots; the heap only
 * orders slot numbers.
 */
export class EventHeap {
  size = 0;
  /** Entry i's time at keys[2i] and insertion sequence at keys[2i+1]: four children share a cache line. */
  private keys = new Float64Array(2048);
  private slots = new Int32Array(1024);

  get topTime(): number {
    return this.keys[0];
  }

  get topSlot(): number {
    return this.slots[0];
  }

  push(time: number, seq: number, slot: number): void {
    if (this.size === this.slots.length) this.grow();
    this.siftUp(this.size++, time, seq, slot);
  }

  /** Removes the top entry. */
  pop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(0, this.keys[2 * last], this.keys[2 * last + 1], this.slots[last]);
  }

  /** Places (time, seq, slot) at hole `i` or above, moving larger parents down (the hole technique). */
  private siftUp(i: number, time: number, seq: number, slot: number): void {
    const keys = this.keys;
    const slots = this.slots;
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
    this.put(i, time, seq, slot);
  }

  /** Places (time, seq, slot) at hole `i` or below, moving smaller children up. */
  private siftDown(i: number, time: number, seq: number, slot: number): void {
    const keys = this.keys;
    const slots = this.slots;
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
    this.put(i, time, seq, slot);
  }

  private put(i: number, time: number, seq: number, slot: number): void {
    this.keys[2 * i] = time;
    this.keys[2 * i + 1] = seq;
    this.slots[i] = slot;
  }

  private grow(): void {
    this.keys = grown(this.keys, this.keys.length * 2);
    this.slots = grown(this.slots, this.slots.length * 2);
  }
}
