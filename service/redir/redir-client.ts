import { idOfAddress, type Id } from "../../sim/runtime/ids.js";
import type { MemberRecord, MemberValues } from "./member-record.js";
import type { Placemark, PutGet, RedirClock, TimerHandle } from "./put-get.js";
import { idToBig, treeNodeKey } from "./tree-node-key.js";
import { bambooLookupWalk, bambooRegisterWalk, generalLookupWalk, generalRegisterWalk } from "./tree-walks.js";

/**
 * ReDiR over any put/get service: the client does the gets (following placemarks), puts, retries and refreshes, and
 * counts them; which levels a registration or lookup visits is the walk's (`tree-walks.ts`), Bamboo's by default,
 * as below, or the general variant's. Each namespace is a tree of `levels` levels with `branching` children per
 * tree node (Bamboo: 2); level l's tree nodes are the b^l partitions of the key space.
 *
 * Register: from the deepest level upward, read the tree node covering the member's id, then put the member there;
 * stop after the put at the first level where an entry with a smaller id was seen, or at level 0 (while the member
 * is the lowest of its partition, lookups from the partition below it find nothing there and need it a level up). The whole walk repeats
 * every ttl/2 (soft state); a refused put is retried after a back-off starting at 1 s, doubling to at most 30 s.
 *
 * Lookup: from the deepest level upward, read the tree node covering the key and take the smallest id above the
 * key; if there is none, go up; at level 0 with none, wrap to the smallest id seen. Correct on a quiet namespace:
 * the true successor is either in the key's deepest partition (where every member registers) or the lowest member
 * of a sibling partition above the key, which registers one level further up than that sibling.
 */

export interface RedirOptions {
  /** Bamboo's walks (from the deepest level up), or the general variant's (from l_start, up and down). */
  variant: "bamboo" | "general";
  /** The general variant's l_start ("generally 2"); clamped to the deepest level. */
  startLevel: number;
  /** Levels of the tree (Bamboo's sample configuration uses 2). */
  levels: number;
  /** Children per tree node (Bamboo's client: 2). */
  branching: number;
  /** Values asked for per get; the reply is capped in bytes anyway, and continued by placemark. */
  maxValuesPerGet: number;
  /** First wait before re-sending a refused put (and a failed get), doubled at each further failure. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** Gets a lookup sends for one page before giving up (an addition: Bamboo's client has no failed gets). */
  maxGetAttempts: number;
}

export const BAMBOO_REDIR: RedirOptions = {
  variant: "bamboo",
  startLevel: 2,
  levels: 2,
  branching: 2,
  maxValuesPerGet: 0x7fffffff,
  firstRetryMs: 1000,
  maxRetryMs: 30_000,
  maxGetAttempts: 4,
};

/** A namespace's id: SHA-1 of its name, as an application would pick it. */
export function namespaceNamed(name: string): Id {
  return idOfAddress(`redir-namespace:${name}`);
}

/** One pass of a member's registration (the first join or a refresh), with what it cost. */
export interface RegistrationRound {
  readonly namespace: Id;
  readonly member: MemberRecord;
  /** 0 for the first join, then 1, 2, … for refreshes. */
  readonly round: number;
  readonly startedAt: number;
  readonly endedAt: number;
  /** Gets sent, placemark continuations and failed gets included. */
  readonly gets: number;
  /** Puts sent, retries of refused ones included. */
  readonly puts: number;
  readonly refusedPuts: number;
  /** The highest level (smallest number) the member was put at in this round. */
  readonly topLevel: number;
}

export interface Registration {
  /** Stop refreshing (the member leaves); its entries stay in the tree until their TTL runs out. */
  cancel(): void;
  readonly cancelled: boolean;
}

export interface LookupResult {
  readonly namespace: Id;
  readonly key: Id;
  /** The member found to succeed the key; null when the tree held no member (or every get of a page failed). */
  readonly member: MemberRecord | null;
  /** Gets sent, placemark continuations and retries included. */
  readonly gets: number;
  /** The level the answer was taken at (−1 when none was found). */
  readonly level: number;
  /** The answer is the smallest id seen, wrapping past the top of the key space. */
  readonly wrapped: boolean;
  /** A page's gets all failed. */
  readonly failed: boolean;
  readonly startedAt: number;
  readonly latencyMs: number;
}

export class RedirClient {
  private readonly options: RedirOptions;

  constructor(
    private readonly dht: PutGet,
    private readonly clock: RedirClock,
    private readonly values: MemberValues,
    options: Partial<RedirOptions> = {},
  ) {
    this.options = { ...BAMBOO_REDIR, ...options };
    const { levels, branching } = this.options;
    if (!Number.isInteger(levels) || levels < 1) throw new Error(`ReDiR levels must be an integer ≥ 1, got ${levels}`);
    if (!Number.isInteger(branching) || branching < 2) throw new Error(`ReDiR branching must be an integer ≥ 2, got ${branching}`);
    const { variant, startLevel } = this.options;
    if (variant !== "bamboo" && variant !== "general") throw new Error(`ReDiR variant must be "bamboo" or "general", got ${String(variant)}`);
    if (!Number.isInteger(startLevel) || startLevel < 0) throw new Error(`ReDiR start level must be an integer ≥ 0, got ${startLevel}`);
  }

  get levels(): number {
    return this.options.levels;
  }

  /** Register `member` in `namespace` with entries of `ttlMs`, refreshed every ttl/2 until cancelled. */
  register(namespace: Id, member: MemberRecord, ttlMs: number, onRound?: (round: RegistrationRound) => void): Registration {
    if (!(ttlMs > 0)) throw new Error(`ReDiR registration TTL must be > 0 ms, got ${ttlMs}`);
    const { levels, branching, maxValuesPerGet, firstRetryMs, maxRetryMs } = this.options;
    const ns = idToBig(namespace);
    const own = idToBig(member.id);
    const value = this.values.valueOf(member);
    const walk =
      this.options.variant === "general" ? generalRegisterWalk(member.id, levels, this.startLevel) : bambooRegisterWalk(member.id, levels);
    let cancelled = false;
    let timer: TimerHandle | null = null;
    let round = 0;
    let startedAt = 0;
    let level = 0;
    let top = 0;
    let gets = 0;
    let puts = 0;
    let refused = 0;
    let retryMs = firstRetryMs;

    const startRound = (): void => {
      timer = null;
      if (cancelled) return;
      startedAt = this.clock.now();
      level = top = walk.start();
      gets = puts = refused = 0;
      readLevel(null);
    };
    const readLevel = (placemark: Placemark | null): void => {
      gets++;
      this.dht.get(treeNodeKey(ns, own, level, branching), maxValuesPerGet, placemark, (hashes, next) => {
        if (cancelled) return;
        // A failed get reads as an empty tree node: the member then puts itself and walks on, which can only
        // register it at more levels than needed, never fewer.
        const others = this.membersOf(hashes ?? []).filter((m) => m.id !== member.id);
        const enough = walk.seen(level, others);
        if (!enough && hashes !== null && next !== null) readLevel(next);
        else writeLevel();
      });
    };
    const writeLevel = (): void => {
      puts++;
      this.dht.put(treeNodeKey(ns, own, level, branching), value, ttlMs, (status) => {
        if (cancelled) return;
        if (status !== "ok") {
          refused++;
          timer = this.clock.setTimer(retryMs, () => {
            timer = null;
            if (!cancelled) writeLevel();
          });
          retryMs = Math.min(retryMs * 2, maxRetryMs);
          return;
        }
        retryMs = firstRetryMs;
        top = Math.min(top, level);
        const nextLevel = walk.next(level);
        if (nextLevel === null) {
          const done: RegistrationRound = {
            namespace, member, round, startedAt, endedAt: this.clock.now(), gets, puts, refusedPuts: refused, topLevel: top,
          };
          round++;
          timer = this.clock.setTimer(ttlMs / 2, startRound);
          onRound?.(done);
        } else {
          level = nextLevel;
          readLevel(null);
        }
      });
    };

    startRound();
    return {
      cancel: () => {
        cancelled = true;
        if (timer !== null) this.clock.cancelTimer(timer);
        timer = null;
      },
      get cancelled() {
        return cancelled;
      },
    };
  }

  /** The registered member of `namespace` whose id succeeds `key` (the smallest id above it, wrapping). */
  lookup(namespace: Id, key: Id, done: (result: LookupResult) => void): void {
    const { levels, branching, maxValuesPerGet, firstRetryMs, maxRetryMs, maxGetAttempts } = this.options;
    const ns = idToBig(namespace);
    const at = idToBig(key);
    const startedAt = this.clock.now();
    const walk =
      this.options.variant === "general" ? generalLookupWalk(key, levels, this.startLevel, branching) : bambooLookupWalk(key, levels);
    let level = walk.start();
    let gets = 0;

    const finish = (member: MemberRecord | null, wrapped: boolean, failed: boolean): void => {
      done({
        namespace, key, member, gets, wrapped, failed, startedAt,
        level: member === null ? -1 : level,
        latencyMs: this.clock.now() - startedAt,
      });
    };
    const readLevel = (placemark: Placemark | null, attempt: number, retryMs: number): void => {
      gets++;
      this.dht.get(treeNodeKey(ns, at, level, branching), maxValuesPerGet, placemark, (hashes, next) => {
        if (hashes === null) {
          if (attempt >= maxGetAttempts) return finish(null, false, true);
          this.clock.setTimer(retryMs, () => readLevel(placemark, attempt + 1, Math.min(retryMs * 2, maxRetryMs)));
          return;
        }
        walk.seen(level, this.membersOf(hashes));
        if (next !== null) return readLevel(next, 1, firstRetryMs);
        const step = walk.next(level);
        if ("answer" in step) return finish(step.answer, step.wrapped, false);
        level = step.level;
        readLevel(null, 1, firstRetryMs);
      });
    };
    readLevel(null, 1, firstRetryMs);
  }

  /** The members behind value hashes; hashes no ReDiR member put are skipped. */
  private membersOf(hashes: readonly number[]): MemberRecord[] {
    const members: MemberRecord[] = [];
    for (const hash of hashes) {
      const m = this.values.memberOf(hash);
      if (m !== undefined) members.push(m);
    }
    return members;
  }

  /** The general variant's l_start, within the tree. */
  private get startLevel(): number {
    return Math.min(this.options.startLevel, this.options.levels - 1);
  }
}
