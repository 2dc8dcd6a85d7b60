/**
 * A binary min-heap of items by time: what expires next, for structures that must forget entries at their expiry
 * (values with TTLs drawn from a range are not in FIFO order). Equal times leave in no promised order.
 */
export class TimeQueue<T> {
  private readonly times: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest time queued, or Infinity when empty. */
  get nextTime(): number {
    return this.items.length === 0 ? Infinity : this.times[0];
  }

  push(time: number, item: T): void {
    let i = this.items.length;
    this.times.push(time);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent] <= time) break;
      this.times[i] = this.times[parent];
      this.items[i] = this.items[parent];
      i = parent;
    }
    this.times[i] = time;
    this.items[i] = item;
  }

  /** Removes and returns the earliest item (undefined when empty). */
  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0];
    const lastTime = this.times.pop() as number;
    const lastItem = this.items.pop() as T;
    if (n > 1) {
      let i = 0;
      const size = n - 1;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && this.times[child + 1] < this.times[child]) child++;
        if (this.times[child] >= lastTime) break;
        this.times[i] = this.times[child];
        this.items[i] = this.items[child];
        i = child;
      }
      this.times[i] = lastTime;
      this.items[i] = lastItem;
    }
    return top;
  }
}
