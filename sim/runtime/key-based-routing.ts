import type { Id } from "./ids.js";
import type { Contact } from "./node-runtime.js";

/**
 * Key-based routing, the lower tier of Dabek et al.'s common API for structured overlays (IPTPS 2003): what a
 * routing protocol offers the layers above it. A storage layer is written once against this and never sees a
 * protocol's tables; the protocol sees nothing of what it carries.
 */
export interface KeyBasedRouting {
  /** The node's own contact. */
  readonly self: Contact;
  /** The upper layer's upcalls; set once, before the node joins. */
  setUpcalls(upcalls: KbrUpcalls): void;
  /**
   * Route `payload` towards `key`; the node that takes itself for the key's root gets `deliver`. Best effort, as
   * any datagram: the caller times out and retries. `bytes` is the payload's size, carried on top of the
   * protocol's own routing header; every hop is counted under `category`.
   */
  route(key: Id, payload: object, bytes: number, category: string): void;
  /**
   * The nodes that should hold `key`, by this node's present knowledge, nearest the key first (the root first),
   * this node among them when it is one: at most `r`, fewer when it knows fewer. Empty when this node cannot tell
   * (the key lies beyond what its neighbour set covers), as Bamboo's `LeafSet.replicas` answers.
   */
  replicaSet(key: Id, r: number): Contact[];
  /** The most replicas `replicaSet` can name: leaf set + 1, successor list + 1, k. */
  readonly maxReplicas: number;
  /**
   * The neighbours a replica set is drawn from (leaf set, successor list and predecessor, k closest): the nodes
   * anti-entropy talks to. Shared by the caller; read it, do not keep it past the next upcall.
   */
  neighbours(): readonly Contact[];
  /** Has this node joined the overlay (and so may be a root)? */
  readonly joined: boolean;
}

export interface KbrUpcalls {
  /** `payload`, routed towards `key` by `origin`, arrived at this node, which takes itself for the key's root. */
  deliver(key: Id, payload: object, origin: Contact, hops: number): void;
  /**
   * `payload` is about to leave this node towards `next` on its way to `key`. Optional: only layers that act on
   * the path (caching, Bamboo's get answered by the first node that knows the whole replica set) need it.
   */
  forward?(key: Id, payload: object, next: Contact): void;
  /** The neighbour set (the source of `replicaSet` and `neighbours`) gained or lost a member. */
  neighboursChanged(): void;
}
