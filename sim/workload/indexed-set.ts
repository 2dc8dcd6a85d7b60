/**
 * A set with O(1) add, delete and uniform random choice (as LiveSet, for any members): the keys and values the
 * storage workload draws its operations from. Deleting moves the last member into the hole, so positions change
 * but the order stays a function of the operations alone (deterministic).
 */
export class IndexedSet<T> {
  private readonly members: T[] = [];
  private readonly indexOf = new Map<T, number>();

  get size(): number {
    return this.members.length;
  }

  has(x: T): boolean {
    return this.indexOf.has(x);
  }

  add(x: T): void {
    if (this.indexOf.has(x)) return;
    this.indexOf.set(x, this.members.length);
    this.members.push(x);
  }

  delete(x: T): void {
    const i = this.indexOf.get(x);
    if (i === undefined) return;
    const last = this.members.pop() as T;
    if (last !== x) {
      this.members[i] = last;
      this.indexOf.set(last, i);
    }
    this.indexOf.delete(x);
  }

  /** The member at position `i` in [0, size); with a uniform `i` this is a uniform random member. */
  at(i: number): T {
    return this.members[i];
  }
}
