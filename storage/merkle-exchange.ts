import type { Address, Id, NodeRuntime, TimerHandle } from "../sim/runtime/index.js";
import type { KeyRange } from "./key-range.js";
import { keyChildLow, keyNode, leafKeys, ROOT_KEY } from "./key-merkle.js";
import { EMPTY_HASH } from "./merkle-hash.js";
import { STORAGE_CATEGORY, STORAGE_SIZE, type StorageMessage, type StorageMessageOf } from "./messages.js";
import { childLowTime, leafTuples, timeNode } from "./time-merkle.js";
import { fingerprint, type Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

/** A session with no answer for this long is abandoned (Bamboo's DataManager). */
const SESSION_IDLE_MS = 30_000;

/** One Merkle tree as the exchange walks it: Bamboo's over put times, or DHash's over the key space. */
export interface MerkleView {
  readonly root: number | Id;
  node(store: TupleStore, range: KeyRange, level: number, low: number | Id, nowUs: number, withChildren: boolean): { hash: number; leaf: boolean; children?: number[] };
  tuples(store: TupleStore, range: KeyRange, level: number, low: number | Id, nowUs: number): Tuple[];
  childLow(level: number, low: number | Id, child: number): number | Id;
}

export const TIME_TREE: MerkleView = {
  root: 0,
  node: (store, range, level, low, nowUs, withChildren) => timeNode(store, range, level, low as number, nowUs, withChildren),
  tuples: (store, range, level, low, nowUs) => leafTuples(store, range, level, low as number, nowUs),
  childLow: (level, low, child) => childLowTime(level, low as number, child),
};

export const KEY_TREE: MerkleView = {
  root: ROOT_KEY,
  node: (store, range, level, low, nowUs, withChildren) => keyNode(store, range, level, low as Id, nowUs, withChildren),
  tuples: (store, range, level, low, nowUs) => leafKeys(store, range, level, low as Id, nowUs),
  childLow: (level, low, child) => keyChildLow(level, low as Id, child),
};

/** Should a tuple the partner listed be fetched, given what we hold of its (key, secret hash, value hash)? */
export function worthFetching(theirs: Tuple, ours: Tuple | undefined): boolean {
  if (ours === undefined) return true;
  // Their tombstone deletes our put; our tombstone blocks their put; between equals, the later expiry wins.
  if (theirs.remove !== ours.remove) return theirs.remove;
  return theirs.expiresUs > ours.expiresUs;
}

interface Session {
  id: number;
  partner: Address;
  range: KeyRange;
  outstanding: number;
  timer: TimerHandle;
  done: (complete: boolean) => void;
}

/**
 * Pairwise Merkle synchronisation over one key range, as a sequence of messages: this node (the puller) asks the
 * partner for tree nodes, recurses into the children whose hashes differ, lists the keys of differing leaf buckets
 * and fetches the tuples it lacks one by one (Bamboo's fetch-node / fetch-keys / fetch-data). The partner answers
 * from its own store; it refuses a range it does not hold. Optionally, tuples of ours the partner lacks are named
 * to `partnerLacks` (DHash pushes them; Carbonite counts them). One session at a time; the partner may run its own.
 */
export class MerkleExchange {
  private session: Session | null = null;
  private nextId = 0;
  private readonly idle = (id: number) => {
    if (this.session?.id === id) this.end(false);
  };

  constructor(
    private readonly rt: NodeRuntime,
    private readonly store: TupleStore,
    private readonly view: MerkleView,
    /** Does this node hold `range` with `asker`, so that it may answer for it? */
    private readonly shares: (range: KeyRange, asker: Address) => boolean,
    private readonly partnerLacks: ((t: Tuple, partner: Address) => void) | null = null,
  ) {}

  get busy(): boolean {
    return this.session !== null;
  }

  private get nowUs(): number {
    return Math.round(this.rt.now() * 1000);
  }

  /** Starts a session with `partner` over `range`; `done(true)` when it ran to its end, `done(false)` when abandoned. */
  begin(partner: Address, range: KeyRange, done: (complete: boolean) => void): void {
    if (this.session !== null) return done(false);
    const id = this.nextId++;
    this.session = { id, partner, range, outstanding: 0, timer: this.rt.setTimer(SESSION_IDLE_MS, this.idle, id), done };
    this.askNode(this.session, 0, this.view.root);
  }

  private heard(s: Session): void {
    this.rt.cancelTimer(s.timer);
    s.timer = this.rt.setTimer(SESSION_IDLE_MS, this.idle, s.id);
  }

  private end(complete: boolean): void {
    const s = this.session as Session;
    this.session = null;
    this.rt.cancelTimer(s.timer);
    s.done(complete);
  }

  private settle(s: Session): void {
    if (--s.outstanding === 0) this.end(true);
  }

  private askNode(s: Session, level: number, low: number | Id): void {
    s.outstanding++;
    const hash = this.view.node(this.store, s.range, level, low, this.nowUs, false).hash;
    const m: StorageMessageOf<"syncNode"> = { layer: "storage", t: "syncNode", session: s.id, lo: s.range.lo, hi: s.range.hi, level, low, hash };
    this.rt.send(s.partner, m, STORAGE_SIZE.syncNode, STORAGE_CATEGORY.sync);
  }

  /** Handles an exchange message, as puller or as partner; false when it is not one. */
  receive(from: Address, m: StorageMessage): boolean {
    switch (m.t) {
      case "syncNode":
        this.answerNode(from, m);
        return true;
      case "syncKeys":
        this.answerKeys(from, m);
        return true;
      case "fetch":
        this.answerFetch(from, m);
        return true;
      case "syncNodeResp":
        this.nodeAnswered(from, m);
        return true;
      case "syncKeysResp":
        this.keysAnswered(from, m);
        return true;
      case "fetchResp":
        this.fetched(from, m);
        return true;
      default:
        return false;
    }
  }

  // As the partner

  private answerNode(from: Address, m: StorageMessageOf<"syncNode">): void {
    const range: KeyRange = { lo: m.lo, hi: m.hi };
    let resp: StorageMessageOf<"syncNodeResp">;
    if (!this.shares(range, from)) {
      resp = { layer: "storage", t: "syncNodeResp", session: m.session, level: m.level, low: m.low, ok: false, hash: EMPTY_HASH, leaf: true, children: null };
    } else {
      const node = this.view.node(this.store, range, m.level, m.low, this.nowUs, true);
      const differs = node.hash !== m.hash;
      resp = { layer: "storage", t: "syncNodeResp", session: m.session, level: m.level, low: m.low, ok: true, hash: node.hash, leaf: node.leaf, children: differs ? (node.children ?? null) : null };
    }
    this.rt.send(from, resp, STORAGE_SIZE.syncNodeResp(resp.children?.length ?? 0), STORAGE_CATEGORY.sync);
  }

  private answerKeys(from: Address, m: StorageMessageOf<"syncKeys">): void {
    const tuples = this.view.tuples(this.store, { lo: m.lo, hi: m.hi }, m.level, m.low, this.nowUs);
    this.rt.send(from, { layer: "storage", t: "syncKeysResp", session: m.session, level: m.level, low: m.low, tuples }, STORAGE_SIZE.syncKeysResp(tuples), STORAGE_CATEGORY.sync);
  }

  private answerFetch(from: Address, m: StorageMessageOf<"fetch">): void {
    const t = this.store.lookup(m.tuple.key, m.tuple.valueHash, m.tuple.secretHash);
    // Gone meanwhile: nothing to send; the puller's session goes on without it.
    const found = t !== undefined && t.expiresUs > this.nowUs ? t : null;
    this.rt.send(from, { layer: "storage", t: "fetchResp", session: m.session, tuple: found }, STORAGE_SIZE.fetchResp(found ?? m.tuple), STORAGE_CATEGORY.fetch);
  }

  // As the puller

  private current(from: Address, session: number): Session | null {
    const s = this.session;
    return s !== null && s.id === session && s.partner === from ? s : null;
  }

  private nodeAnswered(from: Address, m: StorageMessageOf<"syncNodeResp">): void {
    const s = this.current(from, m.session);
    if (s === null) return;
    this.heard(s);
    if (!m.ok) return this.end(false);
    const nowUs = this.nowUs;
    const mine = this.view.node(this.store, s.range, m.level, m.low, nowUs, true);
    if (m.hash !== mine.hash) {
      if (m.leaf || m.children === null) {
        s.outstanding++;
        const keys: StorageMessageOf<"syncKeys"> = { layer: "storage", t: "syncKeys", session: s.id, lo: s.range.lo, hi: s.range.hi, level: m.level, low: m.low };
        this.rt.send(s.partner, keys, STORAGE_SIZE.syncKeys, STORAGE_CATEGORY.sync);
      } else {
        const ours = mine.children;
        for (let i = 0; i < m.children.length; i++) {
          const theirs = m.children[i];
          const own = ours === undefined ? EMPTY_HASH : ours[i];
          if (theirs === own) continue;
          const low = this.view.childLow(m.level, m.low, i);
          if (theirs !== EMPTY_HASH) this.askNode(s, m.level + 1, low);
          else if (this.partnerLacks !== null) for (const t of this.view.tuples(this.store, s.range, m.level + 1, low, nowUs)) this.partnerLacks(t, s.partner);
        }
      }
    }
    this.settle(s);
  }

  private keysAnswered(from: Address, m: StorageMessageOf<"syncKeysResp">): void {
    const s = this.current(from, m.session);
    if (s === null) return;
    this.heard(s);
    for (const t of m.tuples) {
      if (!worthFetching(t, this.store.lookup(t.key, t.valueHash, t.secretHash))) continue;
      s.outstanding++;
      this.rt.send(s.partner, { layer: "storage", t: "fetch", session: s.id, tuple: t }, STORAGE_SIZE.fetch(t), STORAGE_CATEGORY.fetch);
    }
    if (this.partnerLacks !== null) {
      const listed = new Set<number>();
      for (const t of m.tuples) listed.add(identity(t));
      for (const t of this.view.tuples(this.store, s.range, m.level, m.low, this.nowUs)) if (!listed.has(identity(t))) this.partnerLacks(t, s.partner);
    }
    this.settle(s);
  }

  private fetched(from: Address, m: StorageMessageOf<"fetchResp">): void {
    const s = this.current(from, m.session);
    if (s === null) return;
    this.heard(s);
    if (m.tuple !== null) this.store.add(m.tuple, this.nowUs);
    this.settle(s);
  }
}

/** A tuple's identity and state, as two listings compare them. */
const identity = (t: Tuple) => fingerprint(t.key, t.valueHash, t.secretHash, t.remove, t.putTimeUs, t.expiresUs);
