import type { Contact, Id, MessageCategories, PutOutcome } from "../sim/runtime/index.js";
import type { Tuple } from "./tuple.js";

/**
 * The storage layer's messages. Every one carries `layer: "storage"`, so a node tells them from its routing
 * protocol's. Requests routed through key-based routing (`putReq`, `getReq`, `replicaSetReq`) travel as payloads of
 * the protocol's own route messages; the rest go straight to an address. Tuples travel as references: the
 * simulator never copies what a message carries, and a receiver only reads it.
 */
export type StorageMessage =
  // Client operations, from the gateway (the node a client asked) to the key's root and back.
  /** `client`: who put it, for the root's admission control (OpenDHT's client_id, inside the payload's 66 bytes). */
  | { layer: "storage"; t: "putReq"; gateway: Contact; seq: number; tuple: Tuple; secret: number; client: number }
  | { layer: "storage"; t: "putResp"; seq: number; status: PutOutcome; acks: number }
  | { layer: "storage"; t: "getReq"; gateway: Contact; seq: number; key: Id }
  /** The root's values, its replica set, and the members it has synchronised with lately (Bamboo's "synced"). */
  | { layer: "storage"; t: "getResp"; seq: number; values: readonly Tuple[]; replicas: readonly Contact[]; synced: readonly number[] }
  /** A gateway completing a quorum: asks one replica directly (Bamboo's IterGetReq). */
  | { layer: "storage"; t: "replicaGet"; seq: number; key: Id }
  | { layer: "storage"; t: "replicaGetResp"; seq: number; values: readonly Tuple[] }
  // Replication of a put or remove from the root to the rest of its replica set.
  | { layer: "storage"; t: "store"; seq: number; tuple: Tuple; secret: number }
  | { layer: "storage"; t: "storeAck"; seq: number }
  // Anti-entropy (Bamboo: Merkle trees over put times within one shared key range; DHash: over the key space).
  /** A tree node: at `level`, from `low` (a put time in µs for Bamboo's tree, a key for DHash's). */
  | { layer: "storage"; t: "syncNode"; session: number; lo: Id; hi: Id; level: number; low: number | Id; hash: number }
  | {
      layer: "storage";
      t: "syncNodeResp";
      session: number;
      level: number;
      low: number | Id;
      /** False: the partner does not hold this range (their leaf sets disagree). */
      ok: boolean;
      hash: number;
      leaf: boolean;
      /** The children's hashes when the node differs and has children. */
      children: readonly number[] | null;
    }
  | { layer: "storage"; t: "syncKeys"; session: number; lo: Id; hi: Id; level: number; low: number | Id }
  | { layer: "storage"; t: "syncKeysResp"; session: number; level: number; low: number | Id; tuples: readonly Tuple[] }
  | { layer: "storage"; t: "fetch"; session: number; tuple: Tuple }
  /** The tuple asked for, or null when it is gone. */
  | { layer: "storage"; t: "fetchResp"; session: number; tuple: Tuple | null }
  // Hand-off of tuples a node is no longer responsible for: find the key's replica set, give the tuple to a member.
  | { layer: "storage"; t: "replicaSetReq"; asker: Contact; seq: number; key: Id }
  | { layer: "storage"; t: "replicaSetResp"; seq: number; replicas: readonly Contact[] }
  | { layer: "storage"; t: "handoff"; seq: number; tuple: Tuple }
  | { layer: "storage"; t: "handoffAck"; seq: number };

export type StorageMessageOf<T extends StorageMessage["t"]> = Extract<StorageMessage, { t: T }>;

/**
 * Bodies above UDP, after the serialisers of Bamboo's storage code (a BigInteger 4 + 21 bytes, a node 7 bytes),
 * plus the 16-byte transport header and type Bamboo's router adds to every message it sends itself. Routed
 * payloads ride in a route message, which has its own header.
 */
const HEADER = 16;
const NODE = 7;
/** A tuple's key on the wire: 57 bytes, 77 with a secret hash (Bamboo's StorageManager). */
const tupleKey = (t: Tuple) => (t.secretHash === 0 ? 57 : 77);

export const STORAGE_SIZE = {
  /** PutReqPayload: about 66 bytes and the value (plus the secret hash; a remove carries hash and secret). */
  putReq: (t: Tuple) => 66 + t.size + (t.secretHash === 0 ? 0 : 20) + (t.remove ? 20 : 0),
  putResp: HEADER + 12,
  getReq: 66,
  getResp: (values: readonly Tuple[], replicas: number) => HEADER + 12 + replicas * (NODE + 25) + values.reduce((sum, t) => sum + 8 + t.size, 0),
  replicaGet: HEADER + 66,
  replicaGetResp: (values: readonly Tuple[]) => HEADER + 12 + values.reduce((sum, t) => sum + 8 + t.size, 0),
  /** PutOrRemoveMsg: about 58 bytes and the value. */
  store: (t: Tuple) => HEADER + 58 + t.size + (t.secretHash === 0 ? 0 : 20) + (t.remove ? 20 : 0),
  storeAck: HEADER + 8,
  /** FetchMerkleTreeNodeReq: about 123 bytes; the response 37 and 20 per child hash. */
  syncNode: HEADER + 123,
  syncNodeResp: (children: number) => HEADER + 37 + 20 * children,
  syncKeys: HEADER + 123,
  syncKeysResp: (tuples: readonly Tuple[]) => HEADER + 8 + tuples.reduce((sum, t) => sum + tupleKey(t), 0),
  fetch: (t: Tuple) => HEADER + 8 + tupleKey(t),
  fetchResp: (t: Tuple) => HEADER + 8 + tupleKey(t) + t.size,
  replicaSetReq: 8 + NODE + 25,
  replicaSetResp: (replicas: number) => HEADER + 8 + replicas * (NODE + 25),
  handoff: (t: Tuple) => HEADER + 8 + tupleKey(t) + t.size,
  handoffAck: HEADER + 8,
};

/**
 * Traffic categories, so data maintenance is separable from routing maintenance: `put` and `get` carry the
 * workload; `replicate` (a put's copies), `sync` (anti-entropy's tree walk and key lists), `fetch` (data pulled by
 * anti-entropy) and `handoff` (tuples moved to the nodes now responsible) keep the data.
 */
export const STORAGE_CATEGORY = { put: "put", get: "get", replicate: "replicate", sync: "sync", fetch: "fetch", handoff: "handoff" } as const;

/** The categories that keep data rather than serve clients: data maintenance. */
export const DATA_MAINTENANCE_CATEGORIES: readonly string[] = ["replicate", "sync", "fetch", "handoff"];

/**
 * Where each storage message is counted (the README's table for the storage layer). Requests routed to a key's root
 * (`putReq`, `getReq`, `replicaSetReq`) ride in the routing protocol's own messages, counted as `put`, `get` and
 * `handoff` there.
 */
export const STORAGE_MESSAGE_CATEGORIES: MessageCategories<Exclude<StorageMessage, { t: "putReq" | "getReq" | "replicaSetReq" }>> = {
  putResp: { category: "put" },
  getResp: { category: "get" },
  replicaGet: { category: "get" },
  replicaGetResp: { category: "get" },
  store: { oneOf: ["replicate", "fetch"], when: "`replicate` from a put's root (and push-on-change), `fetch` as DHash's repair" },
  storeAck: { category: "replicate" },
  syncNode: { category: "sync" },
  syncNodeResp: { category: "sync" },
  syncKeys: { category: "sync" },
  syncKeysResp: { category: "sync" },
  fetch: { category: "fetch" },
  fetchResp: { category: "fetch" },
  replicaSetResp: { category: "handoff" },
  handoff: { category: "handoff" },
  handoffAck: { category: "handoff" },
};
