import { type Address, ID_BITS } from "../../sim/runtime/index.js";
import type { Peer } from "../common/identifiers.js";

/**
 * Kademlia's k-buckets: bucket i holds up to k nodes at XOR distance [2^i, 2^(i+1)) from us, least recently seen
 * first. A full bucket keeps its old nodes while they answer (the newcomer waits outside); see `insert`.
 */
export class Buckets {
  readonly buckets: Peer[][] = Array.from({ length: ID_BITS }, () => []);
  /** When each bucket was last used by a lookup (ms), for refresh. */
  readonly used: number[] = new Array(ID_BITS).fill(0);
  /** When we last heard from each contact (ms), for liveness checks. */
  readonly lastSeen = new Map<Address, number>();
  /** Told of every node that enters or leaves the buckets (not of one only moved to its bucket's tail). */
  onMembership: ((p: Peer) => void) | null = null;

  constructor(
    private readonly self: Peer,
    private readonly k: number,
  ) {}

  index(p: Peer): number {
    const d = p.value ^ this.self.value;
    return d === 0n ? -1 : d.toString(2).length - 1;
  }

  /**
   * We heard from `p`: move it to the tail of its bucket, or add it. When the bucket is full, returns its least
   * recently seen node, which the caller pings: `evict` it if silent, else `touch` it and the newcomer is dropped.
   */
  insert(p: Peer, now: number): Peer | null {
    const i = this.index(p);
    if (i < 0) return null;
    const bucket = this.buckets[i];
    const at = bucket.findIndex((x) => x.address === p.address);
    if (at >= 0) {
      bucket.splice(at, 1);
      bucket.push(p);
      this.lastSeen.set(p.address, now);
      return null;
    }
    if (bucket.length < this.k) {
      bucket.push(p);
      this.lastSeen.set(p.address, now);
      this.onMembership?.(p);
      return null;
    }
    return bucket[0];
  }

  touch(p: Peer, now: number): void {
    this.insert(p, now);
  }

  /** Removes `old` (silent) and puts `replacement` in its place. */
  evict(old: Peer, replacement: Peer | null, now: number): void {
    this.remove(old.address);
    if (replacement !== null) this.insert(replacement, now);
  }

  /** The contact at `address`, if it is in a bucket. */
  find(address: Address): Peer | null {
    for (const bucket of this.buckets) for (const p of bucket) if (p.address === address) return p;
    return null;
  }

  remove(address: Address): void {
    for (const bucket of this.buckets) {
      const at = bucket.findIndex((x) => x.address === address);
      if (at >= 0) {
        const [gone] = bucket.splice(at, 1);
        this.lastSeen.delete(address);
        this.onMembership?.(gone);
        return;
      }
    }
  }

  /**
   * How many known nodes are closer to us than `p` (`p` itself not counted), up to `limit`: buckets below `p`'s
   * hold only closer nodes, so only `p`'s own bucket needs distances.
   */
  closerToSelf(p: Peer, limit: number): number {
    const i = this.index(p);
    if (i < 0) return 0;
    let n = 0;
    for (let j = 0; j < i && n < limit; j++) n += this.buckets[j].length;
    if (n >= limit) return limit;
    const d = p.value ^ this.self.value;
    for (const q of this.buckets[i]) if (q.address !== p.address && (q.value ^ this.self.value) < d) n++;
    return Math.min(n, limit);
  }

  /** The `n` known nodes closest to `key` by XOR. */
  closest(key: bigint, n: number): Peer[] {
    const all: Peer[] = [];
    for (const bucket of this.buckets) for (const p of bucket) all.push(p);
    all.sort((a, b) => {
      const da = a.value ^ key;
      const db = b.value ^ key;
      return da < db ? -1 : da > db ? 1 : 0;
    });
    return all.slice(0, n);
  }

  get size(): number {
    return this.buckets.reduce((n, b) => n + b.length, 0);
  }
}
