import type { Id } from "../../sim/runtime/ids.js";
import type { MemberRecord } from "./member-record.js";

/**
 * The truth a ReDiR lookup is judged against: the live registered members of each namespace. A member counts from
 * the end of its first registration round until it departs, or until its entries run out when it stops refreshing
 * (each completed round extends it to the round's start + TTL: the earliest any of that round's entries expire).
 * Successor here is ReDiR's: the member with the smallest id strictly above the key, wrapping to the smallest id.
 */

export type LookupVerdict =
  /** The true successor was returned. */
  | "correct"
  /** No live member, and none was returned. */
  | "correctEmpty"
  /** A live member, but not the successor (the tree missed a closer one). */
  | "wrongMember"
  /** A member that departed or whose registration ran out. */
  | "staleMember"
  /** Nothing was returned though members are live. */
  | "missed";

export function isCorrect(verdict: LookupVerdict): boolean {
  return verdict === "correct" || verdict === "correctEmpty";
}

interface Live {
  readonly member: MemberRecord;
  expiresAt: number;
}

class Namespace {
  /** Live members by id, and their ids in order for the successor search. */
  readonly byId = new Map<Id, Live>();
  sorted: Id[] = [];
  private dirty = false;

  add(live: Live): void {
    this.byId.set(live.member.id, live);
    this.dirty = true;
  }

  remove(id: Id): void {
    if (this.byId.delete(id)) this.dirty = true;
  }

  ids(): Id[] {
    if (this.dirty) {
      this.sorted = [...this.byId.keys()].sort();
      this.dirty = false;
    }
    return this.sorted;
  }
}

export class MemberOracle {
  private readonly namespaces = new Map<Id, Namespace>();

  private space(namespace: Id): Namespace {
    let ns = this.namespaces.get(namespace);
    if (ns === undefined) this.namespaces.set(namespace, (ns = new Namespace()));
    return ns;
  }

  /** A registration round of `member` ended; its entries last at least until `expiresAt`. */
  registered(namespace: Id, member: MemberRecord, expiresAt: number): void {
    const ns = this.space(namespace);
    const live = ns.byId.get(member.id);
    if (live === undefined) ns.add({ member, expiresAt });
    else live.expiresAt = Math.max(live.expiresAt, expiresAt);
  }

  /** `member` left the namespace (stopped refreshing, or its node left): no longer a right answer. */
  departed(namespace: Id, member: MemberRecord): void {
    this.namespaces.get(namespace)?.remove(member.id);
  }

  isLive(namespace: Id, member: MemberRecord, now: number): boolean {
    const live = this.namespaces.get(namespace)?.byId.get(member.id);
    return live !== undefined && live.expiresAt > now;
  }

  liveCount(namespace: Id, now: number): number {
    const ns = this.namespaces.get(namespace);
    if (ns === undefined) return 0;
    let n = 0;
    for (const live of ns.byId.values()) if (live.expiresAt > now) n++;
    return n;
  }

  /** The live member succeeding `key` (smallest id above it, else the smallest id); null if none is live. */
  successor(namespace: Id, key: Id, now: number): MemberRecord | null {
    const ns = this.namespaces.get(namespace);
    if (ns === undefined) return null;
    const ids = ns.ids();
    // First id strictly above the key, by binary search; then walk on past members whose entries ran out.
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid] > key) hi = mid;
      else lo = mid + 1;
    }
    for (let step = 0; step < ids.length; step++) {
      const live = ns.byId.get(ids[(lo + step) % ids.length]) as Live;
      if (live.expiresAt > now) return live.member;
    }
    return null;
  }

  judge(namespace: Id, key: Id, returned: MemberRecord | null, now: number): LookupVerdict {
    const truth = this.successor(namespace, key, now);
    if (returned === null) return truth === null ? "correctEmpty" : "missed";
    if (truth !== null && returned.id === truth.id) return "correct";
    return this.isLive(namespace, returned, now) ? "wrongMember" : "staleMember";
  }
}
