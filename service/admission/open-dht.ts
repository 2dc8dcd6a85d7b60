import type { AdmissionControl, Put, Reply } from "./admission-control.js";
import { StoredPuts } from "./stored-puts.js";

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;
const WEEK_S = 7 * DAY_S;

/** The settings of the deployed root's admission; defaults are those of Bamboo's Dht (Dec 2005). */
export interface OpenDhtSettings {
  /** Upper TTL of each virtual disk ("TTL class"). */
  readonly classTtlS: readonly number[];
  /** This node's disk per class; Bamboo's default is 2 kB/s · 8 replicas · class length. */
  readonly ownDiskBytes: readonly number[];
  /** The disks the leaf-set peers advertise, one array per peer (per class); undefined until gossip is heard,
   * when the fill rate is the node's own disk over the class length. */
  readonly leafSetDiskBytes: ReadonlyArray<readonly number[]> | undefined;
  /** Fewer than this many nodes (leaf set + self) and every put is refused. */
  readonly minReplicas: number;
  readonly bucketCapBytes: number;
  readonly slopCapBytes: number;
  /** One client may hold this much in one class's slop (two full puts). */
  readonly slopPerClientBytes: number;
  /** Bytes a put costs beyond its value (the storage key). */
  readonly keyOverheadBytes: number;
}

export function openDhtSettings(overrides: Partial<OpenDhtSettings> = {}): OpenDhtSettings {
  const classTtlS = overrides.classTtlS ?? [HOUR_S, DAY_S, WEEK_S];
  const ownDiskBytes = overrides.ownDiskBytes ?? classTtlS.map((t) => 2 * 1024 * 8 * t);
  const keyOverheadBytes = overrides.keyOverheadBytes ?? 77;
  // A leaf set of four predecessors and four successors with default disks: 2 KiB/s per class at the root.
  const leafSetDiskBytes = "leafSetDiskBytes" in overrides ? overrides.leafSetDiskBytes : Array.from({ length: 8 }, () => ownDiskBytes);
  const settings: OpenDhtSettings = {
    classTtlS,
    ownDiskBytes,
    leafSetDiskBytes,
    minReplicas: overrides.minReplicas ?? 8,
    bucketCapBytes: overrides.bucketCapBytes ?? 1024 * 1024,
    slopCapBytes: overrides.slopCapBytes ?? 10 * 1024,
    slopPerClientBytes: overrides.slopPerClientBytes ?? 2 * (1024 + keyOverheadBytes),
    keyOverheadBytes,
  };
  if (settings.ownDiskBytes.length !== classTtlS.length) throw new Error(`openDht: ownDiskBytes has ${settings.ownDiskBytes.length} classes, classTtlS ${classTtlS.length}`);
  for (const peer of settings.leafSetDiskBytes ?? []) {
    if (peer.length !== classTtlS.length) throw new Error(`openDht: a leaf-set peer advertises ${peer.length} disk sizes for ${classTtlS.length} TTL classes`);
  }
  return settings;
}

/**
 * Fill rate of each class's token bucket (bytes/s). Bamboo limits the root to the smallest of the
 * (minReplicas + 1) largest disks among itself and its leaf set, shared over the leaf-set peers, per class length:
 * a put is stored on the root and its replicas, so the slowest likely replica sets the pace.
 */
export function fillRatesBytesPerS(s: OpenDhtSettings): number[] {
  return s.classTtlS.map((ttl, i) => {
    if (s.leafSetDiskBytes === undefined || s.leafSetDiskBytes.length === 0) return s.ownDiskBytes[i] / ttl;
    const disks = [...s.leafSetDiskBytes.map((peer) => peer[i]), s.ownDiskBytes[i]].sort((a, b) => b - a);
    const limiting = disks[Math.min(disks.length, s.minReplicas + 1) - 1];
    return limiting / s.leafSetDiskBytes.length / ttl;
  });
}

interface Parked {
  readonly put: Put;
  readonly disk: number;
  readonly cost: number;
}

/**
 * The deployed OpenDHT root's admission, on one node. Each TTL class is a token bucket of bytes. A put is stored
 * at once if its class has no slop waiting and the bucket holds its cost (value + key). Otherwise it may wait in
 * the slop — a small FIFO drained as tokens arrive — if the slop has room, the client holds little of it, and the
 * client is below its fair share of the bytes stored here; else CAP. Never AGAIN: the deployed root only says OK
 * or CAP.
 */
export class OpenDhtAdmission implements AdmissionControl {
  readonly name = "openDht";
  readonly ratesBytesPerS: number[];
  private readonly tokens: number[];
  private readonly lastFillS: number[];
  private readonly slop: Parked[] = [];
  private readonly slopBytes: number[];
  private readonly slopByClient: Array<Map<string, number>>;
  /** Bytes (cost) stored per client, all classes together: what fair share is judged on. */
  private readonly stored = new StoredPuts();
  private drainAtS = Infinity;

  constructor(readonly settings: OpenDhtSettings) {
    this.ratesBytesPerS = fillRatesBytesPerS(settings);
    const n = settings.classTtlS.length;
    this.tokens = new Array<number>(n).fill(0);
    this.lastFillS = new Array<number>(n).fill(0);
    this.slopBytes = new Array<number>(n).fill(0);
    this.slopByClient = Array.from({ length: n }, () => new Map<string, number>());
  }

  offer(put: Put, nowS: number): Reply[] {
    this.stored.advance(nowS);
    const disk = this.settings.classTtlS.findIndex((t) => put.ttlS <= t);
    const tooFewReplicas = (this.settings.leafSetDiskBytes?.length ?? 0) + 1 < this.settings.minReplicas;
    if (disk < 0 || put.ttlS <= 0 || tooFewReplicas) return [{ put, verdict: "cap", atS: nowS }];
    const cost = put.sizeBytes + this.settings.keyOverheadBytes;
    if (this.slopBytes[disk] === 0 && this.take(disk, cost, nowS)) {
      this.store(put, cost, nowS);
      return [{ put, verdict: "ok", atS: nowS }];
    }
    const mine = this.slopByClient[disk].get(put.client) ?? 0;
    const slopRoom = this.slopBytes[disk] + cost <= this.settings.slopCapBytes && mine + cost <= this.settings.slopPerClientBytes;
    if (slopRoom && this.belowFairShare(put.client, cost, disk)) {
      this.slop.push({ put, disk, cost });
      this.slopBytes[disk] += cost;
      this.slopByClient[disk].set(put.client, mine + cost);
      // One drain timer at a time, set when the slop stops being empty, for when this put's tokens should be in.
      if (this.slop.length === 1) this.drainAtS = wholeMs(nowS + this.waitS(disk, cost));
      return [];
    }
    return [{ put, verdict: "cap", atS: nowS }];
  }

  nextTickS(): number {
    return this.drainAtS;
  }

  tick(nowS: number): Reply[] {
    if (nowS < this.drainAtS) return [];
    this.drainAtS = Infinity;
    this.stored.advance(nowS);
    const replies: Reply[] = [];
    while (this.slop.length > 0) {
      const { put, disk, cost } = this.slop[0];
      if (!this.take(disk, cost, nowS)) {
        this.drainAtS = wholeMs(nowS + Math.min(1, this.waitS(disk, cost)));
        break;
      }
      this.slop.shift();
      this.slopBytes[disk] -= cost;
      const left = (this.slopByClient[disk].get(put.client) ?? 0) - cost;
      if (left === 0) this.slopByClient[disk].delete(put.client);
      else this.slopByClient[disk].set(put.client, left);
      this.store(put, cost, nowS);
      replies.push({ put, verdict: "ok", atS: nowS });
    }
    return replies;
  }

  /**
   * Water-filling over bytes stored here plus this class's slop: with t the total over n clients, clients below
   * t/n are set aside and the level recomputed; the put passes once the client (with it) is within the level,
   * provided the slop still has k KiB free after k rounds. A client storing nothing always passes.
   */
  private belowFairShare(client: string, cost: number, disk: number): boolean {
    const slop = this.slopByClient[disk];
    const current = this.stored.bytes(client) + (slop.get(client) ?? 0);
    if (current === 0) return true;
    const mine = current + cost;
    const others: number[] = [];
    for (const [c, bytes] of this.stored.holders()) if (c !== client) others.push(bytes + (slop.get(c) ?? 0));
    others.sort((a, b) => a - b);
    let total = mine + others.reduce((t, v) => t + v, 0);
    let n = 1 + others.length;
    let k = 0;
    let next = 0;
    while (n > 0) {
      const level = total / n;
      if (mine <= level) return this.settings.slopCapBytes - this.slopBytes[disk] >= k * 1024;
      const before = next;
      while (next < others.length && others[next] < level) {
        total -= others[next];
        n--;
        next++;
      }
      if (next === before) break;
      k++;
    }
    return false;
  }

  /** Refill the bucket for the time since its last refill, then take `cost` tokens if it holds them. */
  private take(disk: number, cost: number, nowS: number): boolean {
    const add = this.ratesBytesPerS[disk] * (nowS - this.lastFillS[disk]);
    this.tokens[disk] += Math.min(add, this.settings.bucketCapBytes - this.tokens[disk]);
    this.lastFillS[disk] = nowS;
    if (cost > this.tokens[disk]) return false;
    this.tokens[disk] -= cost;
    return true;
  }

  /** Whole milliseconds until a bucket at this rate gathers `cost` tokens from empty. */
  private waitS(disk: number, cost: number): number {
    return Math.ceil((cost / this.ratesBytesPerS[disk]) * 1000) / 1000;
  }

  private store(put: Put, cost: number, nowS: number): void {
    this.stored.add(put.client, cost, nowS, put.ttlS);
  }
}

/** Round to whole milliseconds, as Bamboo's timers are, so a caller stepping in ms meets the time exactly. */
function wholeMs(s: number): number {
  return Math.round(s * 1000) / 1000;
}
