import type { Address, Contact, Id } from "../../sim/runtime/index.js";
import type { MessageCategories } from "../common/message-categories.js";
import type { Coordinate } from "../common/vivaldi.js";

/** `app`: a layer above (storage) routing its own payload to the key's root through key-based routing. */
export type RouteKind = "lookup" | "join" | "tune" | "app";

/** Bamboo's messages. Route messages travel hop by hop, each hop acknowledged. */
export type Message =
  /** A hop of a route; the next node acknowledges it with its nonce. */
  | {
      t: "route";
      nonce: number;
      kind: RouteKind;
      key: Id;
      tag: number;
      origin: Contact;
      hops: number;
      path: Contact[] | null;
      /** An `app` route's payload, its size and the category its hops are counted under; null otherwise. */
      payload: object | null;
      payloadBytes: number;
      category: string | null;
    }
  | { t: "ack"; nonce: number }
  /** Iterative routing: the originator asks each hop in turn for its next hop, avoiding nodes it found dead. */
  | { t: "step"; tag: number; key: Id; origin: Contact; exclude: Address[] }
  | { t: "stepReply"; tag: number; next: Contact }
  | { t: "found"; kind: RouteKind; tag: number; owner: Contact; hops: number }
  | { t: "welcome"; leaves: Contact[]; path: Contact[] }
  | { t: "leafset"; leaves: Contact[]; pull: boolean }
  /** Probes carry the sender's Vivaldi coordinate when timeouts come from coordinates. */
  | { t: "ping"; nonce: number; coordinate: Coordinate | null }
  | { t: "pong"; nonce: number; coordinate: Coordinate | null }
  /** Depth counts the steps of recursive sampling (0: a neighbour of ours was asked). */
  | { t: "rowRequest"; level: number; depth: number; nonce: number }
  | { t: "row"; level: number; depth: number; entries: Contact[] }
  /** Inverse-neighbour sampling: "you are in my routing table", and the question and answer about such nodes. */
  | { t: "added"; node: Contact }
  | { t: "inverseRequest" }
  | { t: "inverse"; entries: Contact[] };

/**
 * Payload sizes above UDP (the network adds 28 bytes of IP/UDP header), after the cost comment in Bamboo's
 * Router.java: a transport header and message type of 24 bytes (16 beyond UDP's 8), a node reference of 31
 * (address 7 + identifier 24). So a ping is 44 bytes on the wire, a leaf-set message with 8 neighbours 317, a
 * routing-table request 72 and a response with 16 entries 544; an acknowledgement is a bare 28.
 */
const HEADER = 16;
const NODE = 31;
const KEY = 24;

export const SIZE = {
  route: (pathLength: number) => HEADER + KEY + NODE + 8 + NODE * pathLength,
  ack: 0,
  found: HEADER + NODE + 8,
  step: (excluded: number) => HEADER + KEY + NODE + 8 + 7 * excluded,
  stepReply: HEADER + NODE + 8,
  welcome: (entries: number) => HEADER + 25 + NODE * entries,
  leafset: (entries: number) => HEADER + 25 + NODE * entries,
  ping: HEADER,
  /** A coordinate: its components and height as 4-byte floats, and its error. */
  coordinate: (c: Coordinate | null) => (c === null ? 0 : 4 * (c.x.length + 2)),
  rowRequest: HEADER + 28,
  row: (entries: number) => HEADER + 4 + NODE * entries,
  added: HEADER + NODE,
};

/** Traffic categories of bandwidth.csv. */
export const CATEGORY = { lookup: "lookup", join: "join", tune: "routing", leafset: "leafset", routing: "routing", probe: "liveness" } as const;

/** The category a route's hops and acknowledgements are counted under: an `app` route carries its own. */
export const routeCategory = (m: { kind: RouteKind; category: string | null }): string => m.category ?? CATEGORY[m.kind as Exclude<RouteKind, "app">];

/** Where each message is counted (the README's table for Bamboo). */
export const BAMBOO_MESSAGE_CATEGORIES: MessageCategories<Message> = {
  route: { byKind: { lookup: "lookup", join: "join", tune: "routing", app: ["put", "get", "handoff"] } },
  ack: { answers: "route" },
  found: { byKind: { lookup: "lookup", tune: "routing" } },
  step: { category: "lookup" },
  stepReply: { category: "lookup" },
  welcome: { category: "join" },
  leafset: { category: "leafset" },
  ping: { category: "liveness" },
  pong: { category: "liveness" },
  rowRequest: { category: "routing" },
  row: { category: "routing" },
  added: { category: "routing" },
  inverseRequest: { category: "routing" },
  inverse: { category: "routing" },
};
