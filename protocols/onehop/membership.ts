import { type Address, type Contact, type Id, ringDistance } from "../../sim/runtime/index.js";

/** A full membership list sorted by identifier, answering "who is closest to this key" by binary search. */
export class Membership {
  private readonly sorted: Contact[] = [];
  private readonly byAddress = new Map<Address, Contact>();

  get size(): number {
    return this.sorted.length;
  }

  has(address: Address): boolean {
    return this.byAddress.has(address);
  }

  all(): readonly Contact[] {
    return this.sorted;
  }

  /**
   * Add a whole list sorted by identifier (a gateway's membership). Into an empty membership this is linear;
   * contacts learnt before it (announcements that overtook the list) are merged one by one.
   */
  addSorted(contacts: readonly Contact[]): void {
    if (this.sorted.length > 0) {
      for (const c of contacts) this.add(c);
      return;
    }
    for (const c of contacts) {
      this.sorted.push(c);
      this.byAddress.set(c.address, c);
    }
  }

  add(contact: Contact): boolean {
    if (this.byAddress.has(contact.address)) return false;
    const i = this.lowerBound(contact.id);
    this.sorted.splice(i, 0, contact);
    this.byAddress.set(contact.address, contact);
    return true;
  }

  remove(address: Address): boolean {
    const contact = this.byAddress.get(address);
    if (contact === undefined) return false;
    this.sorted.splice(this.lowerBound(contact.id), 1);
    this.byAddress.delete(address);
    return true;
  }

  /** The member numerically closest to `key` around the ring (ties go clockwise from the key). */
  closest(key: Id): Contact | null {
    const n = this.sorted.length;
    if (n === 0) return null;
    const i = this.lowerBound(key);
    const after = this.sorted[i % n];
    const before = this.sorted[(i - 1 + n) % n];
    return ringDistance(before.id, key) < ringDistance(after.id, key) ? before : after;
  }

  /** The next member clockwise after `id`. */
  successorOf(id: Id): Contact | null {
    const n = this.sorted.length;
    if (n === 0) return null;
    let i = this.lowerBound(id);
    if (i < n && this.sorted[i].id === id) i++;
    return this.sorted[i % n];
  }

  private lowerBound(id: Id): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid].id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
