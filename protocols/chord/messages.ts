import type { Contact, Id } from "../../sim/runtime/index.js";
import type { MessageCategories } from "../common/message-categories.js";
import type { Coordinate } from "../common/vivaldi.js";

export type ChordKind = "lookup" | "join" | "finger";

export type ChordMessage =
  /** A hop of a recursive route; the next node acknowledges it with its nonce. */
  | { t: "route"; nonce: number; kind: ChordKind; key: Id; tag: number; origin: Contact; hops: number }
  | { t: "ack"; nonce: number }
  | { t: "found"; kind: ChordKind; tag: number; owner: Contact; hops: number }
  | { t: "step"; tag: number; key: Id }
  | { t: "stepReply"; tag: number; done: boolean; next: Contact }
  | { t: "getPredecessor"; nonce: number }
  /** Replies carry the sender's Vivaldi coordinate when timeouts come from coordinates. */
  | { t: "predecessor"; nonce: number; predecessor: Contact | null; successors: Contact[]; coordinate: Coordinate | null }
  | { t: "notify"; who: Contact }
  | { t: "ping"; nonce: number }
  | { t: "pong"; nonce: number; coordinate: Coordinate | null }
  /**
   * A hop of a payload routed by key for the layer above (key-based routing), acknowledged with `appAck`. `last`:
   * the sender takes the receiver for the key's successor. `bytes` (the payload's size) and `category` (the
   * caller's) are bookkeeping, not in the bytes.
   */
  | { t: "app"; nonce: number; key: Id; payload: object; bytes: number; category: string; origin: Contact; hops: number; last: boolean }
  | { t: "appAck"; nonce: number };

// Sizes above UDP, on the same cost model as Bamboo's: header 16, node reference 31, key 24.
const HEADER = 16;
const NODE = 31;
const KEY = 24;
export const CHORD_SIZE = {
  route: HEADER + KEY + NODE + 8,
  ack: 0,
  found: HEADER + NODE + 8,
  step: HEADER + KEY + 8,
  stepReply: HEADER + NODE + 9,
  getPredecessor: HEADER + 8,
  predecessor: (successors: number) => HEADER + 8 + NODE * (successors + 1),
  notify: HEADER + NODE,
  ping: HEADER + 8,
  /** A routed payload's hop: the route's header and flag, then the payload. */
  app: (payload: number) => HEADER + KEY + NODE + 9 + payload,
  coordinate: (c: Coordinate | null) => (c === null ? 0 : 4 * (c.x.length + 2)),
};

export const CHORD_CATEGORY = { lookup: "lookup", join: "join", finger: "routing", stabilize: "stabilize", probe: "liveness" } as const;

/** Where each message is counted (the README's table for Chord). */
export const CHORD_MESSAGE_CATEGORIES: MessageCategories<ChordMessage> = {
  route: { byKind: { lookup: "lookup", join: "join", finger: "routing" } },
  ack: { answers: "route" },
  found: { byKind: { lookup: "lookup", join: "join", finger: "routing" } },
  step: { category: "lookup" },
  stepReply: { category: "lookup" },
  getPredecessor: { oneOf: ["stabilize", "routing"], when: "`stabilize` for stabilisation, `routing` for proximity finger choice (`fingerPns`)" },
  predecessor: { category: "stabilize" },
  notify: { category: "stabilize" },
  ping: { oneOf: ["liveness", "routing"], when: "`liveness` for predecessor checks, `routing` for proximity finger choice (`fingerPns`)" },
  pong: { category: "liveness" },
  app: { oneOf: ["put", "get", "handoff"], when: "the routing caller's: `put`, `get` or `handoff` for the storage layer" },
  appAck: { answers: "app" },
};
