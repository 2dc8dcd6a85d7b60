/**
 * A set of small integers (node addresses) with O(1) add, remove and uniform random choice: the membership
 * lists the churn driver and the workload draw victims, gateways and lookup sources from.
 */
export class LiveSet {
  private readonly members: number[] = [];
  private readonly indexOf = new Map<number, number>();

  get size(): number {
    return this.members.length;
  }

  has(x: number): boolean {
    return this.indexOf.has(x);
  }

  add(x: number): void {
    if (this.indexOf.has(x)) return;
    this.indexOf.set(x, this.members.length);
    this.members.push(x);
  }

  remove(x: number): void {
    const i = this.indexOf.get(x);
    if (i === undefined) return;
    const last = this.members.pop() as number;
    if (last !== x) {
      this.members[i] = last;
      this.indexOf.set(last, i);
    }
    this.indexOf.delete(x);
  }

  /** The member at position `i` in [0, size); with a uniform `i` this is a uniform random member. */
  at(i: number): number {
    return this.members[i];
  }
}
