import type { Id } from "../../sim/runtime/ids.js";
import type { MemberRecord } from "./member-record.js";
import { idToBig, partitionOf } from "./tree-node-key.js";

/**
 * Which tree nodes a registration and a lookup visit, and what they conclude from each: the part in which ReDiR's
 * variants differ. The client does the gets, puts, placemarks, retries and refreshes for both.
 */

/** A registration's walk: the client reads the tree node at a level, puts the member there, then asks where next. */
export interface RegisterWalk {
  /** The first level of a round. */
  start(): number;
  /** Some entries of the tree node at `level` (other members); true when the rest of the node is not needed. */
  seen(level: number, others: readonly MemberRecord[]): boolean;
  /** After the put at `level`: the next level, or null when the round is done. */
  next(level: number): number | null;
}

export type LookupStep = { readonly level: number } | { readonly answer: MemberRecord | null; readonly wrapped: boolean };

/** A lookup's walk: the client reads the whole tree node at a level, then asks where next or what the answer is. */
export interface LookupWalk {
  start(): number;
  seen(level: number, entries: readonly MemberRecord[]): void;
  next(level: number): LookupStep;
}

/** Bamboo's: register from the deepest level up, stopping after the first level that holds a smaller id. */
export function bambooRegisterWalk(own: Id, levels: number): RegisterWalk {
  let foundLower = false;
  return {
    start: () => levels - 1,
    seen: (_level, others) => (foundLower ||= others.some((o) => o.id < own)),
    next: (level) => {
      const done = foundLower || level === 0;
      foundLower = false;
      return done ? null : level - 1;
    },
  };
}

/** Bamboo's: look up from the deepest level up, taking the smallest id above the key; wrap at level 0. */
export function bambooLookupWalk(key: Id, levels: number): LookupWalk {
  let best: MemberRecord | null = null;
  let lowest: MemberRecord | null = null;
  return {
    start: () => levels - 1,
    seen: (_level, entries) => {
      for (const m of entries) {
        if (m.id > key && (best === null || m.id < best.id)) best = m;
        if (lowest === null || m.id < lowest.id) lowest = m;
      }
    },
    next: (level) => {
      if (best !== null) return { answer: best, wrapped: false };
      if (level === 0) return { answer: lowest, wrapped: lowest !== null };
      return { level: level - 1 };
    },
  };
}

/**
 * The general variant (ReDiR as the IPTPS'04 paper and RFC 7374 describe it, known here only from a summary; the
 * rules below are our reading, checked by the tests). Registration starts at l_start: upward, it puts the member
 * and goes up while the member is the lowest or highest entry of the tree node; then downward from l_start + 1 it
 * puts the member and goes down until it was alone in the node (or at the deepest level). A tree node then holds
 * the lowest and highest member of each of its b sub-intervals, and every member of a sub-interval that has two or
 * more, once members have refreshed: a member that registered alone learns of later ones only at its next round.
 */
export function generalRegisterWalk(own: Id, levels: number, startLevel: number): RegisterWalk {
  let upward = true;
  let below = false;
  let above = false;
  return {
    start: () => {
      upward = true;
      return startLevel;
    },
    seen: (_level, others) => {
      for (const o of others) {
        if (o.id < own) below = true;
        else if (o.id > own) above = true;
      }
      // Upward only extremeness matters; downward only whether anyone else is there.
      return upward ? below && above : below || above;
    },
    next: (level) => {
      const extreme = !(below && above);
      const alone = !(below || above);
      below = above = false;
      if (upward) {
        if (extreme && level > 0) return level - 1;
        upward = false;
        return startLevel + 1 < levels ? startLevel + 1 : null;
      }
      return alone || level === levels - 1 ? null : level + 1;
    },
  };
}

/**
 * The general variant's lookup, from l_start. With k in sub-interval I of the tree node: k between two entries of
 * I → the successor is inside I, go down (the deepest level's node holds all of a crowded I); otherwise the node
 * shows the successor if it is in it, else go up, and from then on only up (as Bamboo's, wrapping at level 0). The
 * answer is the smallest id above k seen on the whole walk: every one seen is a member above k, so a tree node
 * that has not yet learnt of a member (the tree settles over refreshes) cannot make the answer worse than one seen.
 */
export function generalLookupWalk(key: Id, levels: number, startLevel: number, branching: number): LookupWalk {
  const k = idToBig(key);
  let upward = false;
  let node: MemberRecord[] = [];
  let best: MemberRecord | null = null;
  let lowest: MemberRecord | null = null;
  return {
    start: () => startLevel,
    seen: (_level, entries) => {
      for (const m of entries) {
        node.push(m);
        if (m.id > key && (best === null || m.id < best.id)) best = m;
        if (lowest === null || m.id < lowest.id) lowest = m;
      }
    },
    next: (level) => {
      const entries = node;
      node = [];
      if (!upward && level < levels - 1) {
        const mine = partitionOf(k, level + 1, branching);
        let belowInI = false;
        let aboveInI = false;
        for (const m of entries) {
          if (partitionOf(idToBig(m.id), level + 1, branching) !== mine) continue;
          if (m.id > key) aboveInI = true;
          else belowInI = true;
        }
        if (belowInI && aboveInI) return { level: level + 1 };
      }
      if (best !== null) return { answer: best, wrapped: false };
      upward = true;
      if (level === 0) return { answer: lowest, wrapped: lowest !== null };
      return { level: level - 1 };
    },
  };
}
