/**
 * The storage tree: fssim's admission test that keeps room to accept puts at a guaranteed rate forever. With s(t)
 * the bytes of accepted puts still alive at a future time t, a put is accepted only if, with it added,
 *
 *     s(t) + rate·(t − now) ≤ capacity   for every t ≥ now.
 *
 * A put accepted at a with TTL d is alive on [a, a + d). Between expiries s(t) is constant and the left side
 * grows, so its supremum is approached just before some expiry e, where it equals B(≥ e) + rate·(e − now) with
 * B(≥ e) the bytes of puts expiring at or after e. The test is therefore a maximum over expiry times.
 *
 * Expiries are kept in a treap keyed by expiry (integer milliseconds, so sums of bytes and rate·time are exact
 * for integer rates). Each subtree carries its byte total and the maximum, over its own keys e, of
 * rate·e + (bytes in the subtree expiring at or after e); a parent combines its children's in O(1). A put's test
 * is one walk down the search path (O(log n) expected) and an accepted put one insertion — no test scans the
 * stored puts. (fssim's IonTree
 * answers the same question with a balanced tree over whole seconds and range increments; this keying is ours.)
 */

interface TreeNode {
  readonly key: number;
  readonly priority: number;
  bytes: number;
  left: TreeNode | null;
  right: TreeNode | null;
  /** Bytes in this subtree. */
  sum: number;
  /** Distinct expiry times in this subtree. */
  nodes: number;
  /** Max over keys e in this subtree of rate·e + 1000·(subtree bytes with key ≥ e), in byte·ms/s units. */
  peak: number;
}

export class StorageTree {
  private root: TreeNode | null = null;
  private nowMs = 0;
  private nextPriority = 0x2545f491;

  /**
   * @param rateBytesPerS the rate at which puts must always remain acceptable (fssim: 1024 B/s)
   * @param capacityBytes the disk (fssim: rate·max TTL plus one maximum-size put)
   */
  constructor(
    readonly rateBytesPerS: number,
    readonly capacityBytes: number,
  ) {}

  /** Move the present to `nowS`, forgetting puts that expired by then. */
  advance(nowS: number): void {
    const ms = toMs(nowS);
    if (ms < this.nowMs) throw new Error(`storage tree: time went back from ${this.nowMs} ms to ${ms} ms`);
    this.nowMs = ms;
    const [, keep] = this.splitAtMost(this.root, ms);
    this.root = keep;
  }

  /** Would a put of `sizeBytes` for `ttlS` pass the test now? One descent; the tree is not changed. */
  wouldAccept(sizeBytes: number, ttlS: number): boolean {
    return this.peakWith(this.nowMs + toMs(ttlS), sizeBytes) <= this.limit();
  }

  /** Accept the put if it passes the test; returns whether it did. A refusal costs one descent. */
  tryAdd(sizeBytes: number, ttlS: number): boolean {
    const expiry = this.nowMs + toMs(ttlS);
    if (this.peakWith(expiry, sizeBytes) > this.limit()) return false;
    this.change(expiry, sizeBytes);
    return true;
  }

  /** Distinct expiry times held (for benchmarks and tests). */
  get size(): number {
    return this.root === null ? 0 : this.root.nodes;
  }

  /** (expiry in seconds, bytes expiring then), in expiry order: what the tests check the invariant against. */
  entries(): Array<{ expiryS: number; bytes: number }> {
    const out: Array<{ expiryS: number; bytes: number }> = [];
    const walk = (n: TreeNode | null): void => {
      if (n === null) return;
      walk(n.left);
      out.push({ expiryS: n.key / 1000, bytes: n.bytes });
      walk(n.right);
    };
    walk(this.root);
    return out;
  }

  /** The test's right side, multiplied through by 1000 ms/s like the peaks: 1000·capacity + rate·now. */
  private limit(): number {
    return 1000 * this.capacityBytes + this.rateBytesPerS * this.nowMs;
  }

  /**
   * The root's peak as it would be with `bytes` more expiring at `key`. Adding them raises the value at every
   * expiry e ≤ key by 1000·bytes, leaves those above unchanged, and may add the point `key` itself; one walk
   * down the search path collects the maxima on both sides.
   */
  private peakWith(key: number, bytes: number): number {
    const rate = this.rateBytesPerS;
    let atOrBelow = -Infinity;
    let above = -Infinity;
    /** Bytes expiring after the current subtree's range. */
    let after = 0;
    /** Bytes expiring after `key`, and exactly at it. */
    let beyondKey = 0;
    let atKey = 0;
    for (let n = this.root; n !== null; ) {
      const rightSum = n.right === null ? 0 : n.right.sum;
      const fromHere = 1000 * (n.bytes + rightSum + after);
      if (n.key <= key) {
        atOrBelow = Math.max(atOrBelow, rate * n.key + fromHere, n.left === null ? -Infinity : n.left.peak + fromHere);
        if (n.key === key) {
          atKey = n.bytes;
          beyondKey += rightSum;
          above = Math.max(above, n.right === null ? -Infinity : n.right.peak + 1000 * after);
          break;
        }
        n = n.right;
      } else {
        above = Math.max(above, rate * n.key + fromHere, n.right === null ? -Infinity : n.right.peak + 1000 * after);
        beyondKey += n.bytes + rightSum;
        after += n.bytes + rightSum;
        n = n.left;
      }
    }
    const newPoint = rate * key + 1000 * (atKey + beyondKey + bytes);
    return Math.max(above, atOrBelow + 1000 * bytes, newPoint);
  }

  /** Add `bytes` (possibly negative) to the puts expiring at `key`. */
  private change(key: number, bytes: number): void {
    const [below, rest] = this.splitBelow(this.root, key);
    let [mid, above] = this.splitAtMost(rest, key);
    if (mid === null) {
      mid = this.leaf(key, bytes);
    } else {
      mid.bytes += bytes;
      update(mid, this.rateBytesPerS);
    }
    if (mid.bytes === 0) mid = null;
    this.root = this.merge(this.merge(below, mid), above);
  }

  private leaf(key: number, bytes: number): TreeNode {
    // A fixed xorshift sequence gives treap priorities: they shape the tree, never the answers.
    let x = this.nextPriority;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.nextPriority = x >>> 0;
    const node: TreeNode = { key, priority: this.nextPriority, bytes, left: null, right: null, sum: 0, nodes: 1, peak: 0 };
    update(node, this.rateBytesPerS);
    return node;
  }

  /** Split into keys < key and keys ≥ key. */
  private splitBelow(n: TreeNode | null, key: number): [TreeNode | null, TreeNode | null] {
    if (n === null) return [null, null];
    if (n.key < key) {
      const [l, r] = this.splitBelow(n.right, key);
      n.right = l;
      update(n, this.rateBytesPerS);
      return [n, r];
    }
    const [l, r] = this.splitBelow(n.left, key);
    n.left = r;
    update(n, this.rateBytesPerS);
    return [l, n];
  }

  /** Split into keys ≤ key and keys > key. */
  private splitAtMost(n: TreeNode | null, key: number): [TreeNode | null, TreeNode | null] {
    if (n === null) return [null, null];
    if (n.key <= key) {
      const [l, r] = this.splitAtMost(n.right, key);
      n.right = l;
      update(n, this.rateBytesPerS);
      return [n, r];
    }
    const [l, r] = this.splitAtMost(n.left, key);
    n.left = r;
    update(n, this.rateBytesPerS);
    return [l, n];
  }

  /** Join two treaps where every key of `a` is below every key of `b`. */
  private merge(a: TreeNode | null, b: TreeNode | null): TreeNode | null {
    if (a === null) return b;
    if (b === null) return a;
    if (a.priority > b.priority) {
      a.right = this.merge(a.right, b);
      update(a, this.rateBytesPerS);
      return a;
    }
    b.left = this.merge(a, b.left);
    update(b, this.rateBytesPerS);
    return b;
  }
}

function toMs(s: number): number {
  return Math.round(s * 1000);
}

/** Recompute a node's sum and peak from its children's. */
function update(n: TreeNode, rate: number): void {
  const rightSum = n.right === null ? 0 : n.right.sum;
  const fromHere = 1000 * (n.bytes + rightSum);
  let peak = rate * n.key + fromHere;
  if (n.right !== null && n.right.peak > peak) peak = n.right.peak;
  if (n.left !== null && n.left.peak + fromHere > peak) peak = n.left.peak + fromHere;
  n.sum = (n.left === null ? 0 : n.left.sum) + n.bytes + rightSum;
  n.nodes = 1 + (n.left === null ? 0 : n.left.nodes) + (n.right === null ? 0 : n.right.nodes);
  n.peak = peak;
}
