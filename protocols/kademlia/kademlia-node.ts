import { type Address, type Contact, type Id, ID_BITS, ID_HEX_DIGITS, type LookupHandle, type NodeRuntime, type ProtocolNode } from "../../sim/runtime/index.js";
import type { KbrUpcalls, KeyBasedRouting } from "../../sim/runtime/key-based-routing.js";
import { type Peer, peerOf } from "../common/identifiers.js";
import type { MessageCategories } from "../common/message-categories.js";
import { every } from "../common/periodic.js";
import { Requests } from "../common/requests.js";
import { makeTimeouts, type TimeoutStrategy } from "../common/timeouts.js";
import type { Coordinate } from "../common/vivaldi.js";
import { Buckets } from "./buckets.js";
import { RecentlyFailed } from "./recently-failed.js";
import { SeededTimeouts } from "./seeded-timeouts.js";
import type { KademliaOptions } from "./options.js";

export type KademliaMessage =
  /** `kind`, what the lookup is for, lets the reply be counted in the request's category: bookkeeping, not in the bytes. */
  | { t: "findNode"; nonce: number; key: Id; sender: Contact; kind: Kind }
  /** Replies carry the sender's Vivaldi coordinate when timeouts come from coordinates. */
  | { t: "nodes"; nonce: number; contacts: Contact[]; sender: Contact; coordinate: Coordinate | null }
  | { t: "ping"; nonce: number; sender: Contact }
  | { t: "pong"; nonce: number; sender: Contact; coordinate: Coordinate | null }
  /**
   * A lookup's request and reply, as `findNode` and `nodes`, when it looks for the root of a payload routed for the
   * layer above (key-based routing): counted under that caller's `category` (bookkeeping, not in the bytes).
   */
  | { t: "appFindNode"; nonce: number; key: Id; sender: Contact; category: string }
  | { t: "appNodes"; nonce: number; contacts: Contact[]; sender: Contact; coordinate: Coordinate | null }
  /** The payload, sent by its origin straight to the root its lookup found; `hops` is that lookup's. */
  | { t: "app"; key: Id; payload: object; hops: number; sender: Contact };

type Request = Extract<KademliaMessage, { t: "findNode" | "appFindNode" | "ping" }>;

// Sizes above UDP, on the cost model the other protocols use: header 16, node reference 31, key 24.
const SIZE = {
  findNode: 16 + 8 + 24 + 31,
  nodes: (n: number) => 16 + 8 + 31 + 31 * n,
  ping: 16 + 8 + 31,
  /** A routed payload: header, key, origin, hop count, then the payload. */
  app: (payload: number) => 16 + 24 + 31 + 1 + payload,
  coordinate: (c: Coordinate | null) => (c === null ? 0 : 4 * (c.x.length + 2)),
};

/** Where each message is counted (the README's table for Kademlia). */
export const KADEMLIA_MESSAGE_CATEGORIES: MessageCategories<KademliaMessage> = {
  findNode: { byKind: { lookup: "lookup", join: "join", refresh: "routing" } },
  nodes: { answers: "findNode" },
  ping: { category: "liveness" },
  pong: { category: "liveness" },
  appFindNode: { oneOf: ["put", "get", "handoff"], when: "the routing caller's: `put`, `get` or `handoff` for the storage layer" },
  appNodes: { answers: "appFindNode" },
  app: { oneOf: ["put", "get", "handoff"], when: "the routing caller's: `put`, `get` or `handoff` for the storage layer" },
};

type Kind = "lookup" | "join" | "refresh";
/** Traffic categories by what a lookup is for, requests and replies alike: bucket refresh is maintenance. */
const CATEGORY: Record<Kind, string> = { lookup: "lookup", join: "join", refresh: "routing" };

interface Candidate {
  peer: Peer;
  distance: bigint;
  /** `skipped`: silent past the lookup's RTO for it, but its request still open (see SeededTimeouts). */
  state: "new" | "asked" | "answered" | "skipped" | "failed";
  /** Hops from us: the depth of the node that named it, plus one. */
  depth: number;
}

/** A payload routed by key: it goes to the root its search finds. */
interface AppRoute {
  payload: object;
  bytes: number;
  category: string;
}

interface Search {
  kind: Kind;
  /** The payload this search finds the root for; null for the protocol's own searches. */
  app: AppRoute | null;
  key: bigint;
  keyId: Id;
  handle: LookupHandle;
  candidates: Map<Address, Candidate>;
  /** Ended: answers still coming in teach us their senders, but the search has reported. */
  done: boolean;
}

/** The members of a converged start as peers, made once per start and shared by every node. */
const convergedStarts = new WeakMap<readonly Contact[], Peer[]>();

function convergedPeers(members: readonly Contact[]): Peer[] {
  let peers = convergedStarts.get(members);
  if (peers === undefined) convergedStarts.set(members, (peers = members.map((c) => peerOf(c))));
  return peers;
}

/**
 * A Kademlia node (Maymounkov and Mazières, IPTPS 2002): XOR distance, k-buckets with least-recently-seen
 * eviction after a liveness check, α-parallel iterative lookups converging on the k closest nodes, and bucket
 * refresh. Every message teaches the receiver its sender. A key's owner is the live node closest by XOR.
 *
 * Key-based routing: a payload's root is found by the same iterative lookup, then sent the payload directly;
 * replica sets are the nodes XOR-closest to the key that we know.
 */
export class KademliaNode implements ProtocolNode<KademliaMessage>, KeyBasedRouting {
  readonly self: Peer;
  private readonly buckets: Buckets;
  private readonly timeouts: TimeoutStrategy;
  /** The same timeouts with lookups' shorter RTO for contacts never sampled, when `unsampledTimeout` is seeded. */
  private readonly seeded: SeededTimeouts | null;
  private readonly requests: Requests<Request>;
  // Our requests with their nonces, made by functions made once per node.
  private readonly findNode = (nonce: number, s: Search): Request => ({ t: "findNode", nonce, key: s.keyId, sender: this.self, kind: s.kind });
  private readonly ping = (nonce: number): Request => ({ t: "ping", nonce, sender: this.self });
  private readonly appFindNode = (nonce: number, s: Search): Request => ({ t: "appFindNode", nonce, key: s.keyId, sender: this.self, category: (s.app as AppRoute).category });
  private readonly evicting = new Set<Address>();
  private readonly recentlyFailed: RecentlyFailed;
  private inOverlay = false;
  private upcalls: KbrUpcalls | null = null;
  /** `neighbours()`, made when first asked for after a change. */
  private neighbourList: Peer[] | null = null;

  constructor(
    private readonly rt: NodeRuntime<KademliaMessage>,
    private readonly o: KademliaOptions,
  ) {
    this.self = peerOf({ address: rt.address, id: rt.id });
    this.buckets = new Buckets(this.self, o.k);
    const perContact = makeTimeouts(rt, o);
    this.seeded = o.timeouts === "tcp" && o.unsampledTimeout === "seeded" ? new SeededTimeouts(perContact, o.maxTimeoutMs) : null;
    this.timeouts = this.seeded ?? perContact;
    this.requests = new Requests(rt, this.timeouts);
    this.recentlyFailed = new RecentlyFailed(o.failedMemoryMs);
    this.buckets.onMembership = this.membershipChanged;
  }

  join(gateway: Contact | null): void {
    if (gateway === null) return this.becomeJoined();
    this.buckets.insert(peerOf(gateway), this.rt.now());
    // Looking ourselves up fills the buckets near us and makes us known to our neighbours.
    this.search("join", this.rt.id, -1);
    this.rt.setTimer(this.o.joinRetryMs, () => {
      if (!this.inOverlay) this.join(this.rt.bootstrap());
    });
  }

  /**
   * A converged start (p2psim's initstate): each bucket filled from `members` (every initial node, sorted by
   * identifier) with the k of its range XOR-closest to us, as if every node had been heard from at time 0, then
   * refresh as after a join. Nodes arriving later learn of us, and we of them, as in any run.
   */
  startConverged(members: readonly Contact[]): void {
    const byBucket: { peer: Peer; distance: bigint }[][] = Array.from({ length: ID_BITS }, () => []);
    for (const p of convergedPeers(members)) {
      const distance = p.value ^ this.self.value;
      if (distance === 0n) continue;
      byBucket[distance.toString(2).length - 1].push({ peer: p, distance });
    }
    const now = this.rt.now();
    for (const bucket of byBucket) {
      if (bucket.length > this.o.k) bucket.sort((a, b) => (a.distance < b.distance ? -1 : a.distance > b.distance ? 1 : 0));
      for (let j = 0; j < bucket.length && j < this.o.k; j++) this.buckets.insert(bucket[j].peer, now);
    }
    this.becomeJoined();
  }

  private becomeJoined(): void {
    if (this.inOverlay) return;
    this.inOverlay = true;
    this.rt.reportJoined();
    // Idle buckets are looked for four times per refresh period, at a random phase but without jitter.
    every(this.rt, this.o.refreshMs / 4, () => this.refresh(), { first: "phase", jitter: false });
    if (this.o.livenessCheckMs > 0) every(this.rt, this.o.livenessCheckMs / 2, () => this.checkLiveness(), { first: "phase" });
  }

  /**
   * Pings every contact not heard from for a liveness-check period: one that is silent leaves the buckets (as
   * any request's silence makes it), so the contacts we name in replies are seldom dead and other nodes' lookups
   * do not wait out their RTOs. Not in the paper, whose buckets learn of a death only from a request to the dead.
   */
  private checkLiveness(): void {
    const now = this.rt.now();
    for (const [address, seen] of this.buckets.lastSeen) {
      if (now - seen < this.o.livenessCheckMs || this.evicting.has(address)) continue;
      const p = this.buckets.find(address);
      if (p === null) continue;
      this.evicting.add(address);
      // Answered, the reply has refreshed the contact; silent, it has left the buckets.
      const checked = () => this.evicting.delete(address);
      this.request(p, this.ping, undefined, SIZE.ping, "liveness", checked, checked);
    }
  }

  /** Buckets idle for a refresh period get a lookup of a random identifier in their range. */
  private refresh(): void {
    const now = this.rt.now();
    this.recentlyFailed.prune(now);
    for (let i = 0; i < ID_BITS; i++) {
      if (this.buckets.buckets[i].length === 0 || now - this.buckets.used[i] < this.o.refreshMs) continue;
      const random = BigInt(`0x${this.rt.random.bits160hex()}`) & ((1n << BigInt(i)) - 1n);
      const target = (this.self.value ^ ((1n << BigInt(i)) | random)).toString(16).padStart(ID_HEX_DIGITS, "0");
      this.search("refresh", target, -1);
    }
  }

  lookup(key: Id, handle: LookupHandle): void {
    this.search("lookup", key, handle);
  }

  // Key-based routing

  get routing(): KeyBasedRouting {
    return this;
  }

  get joined(): boolean {
    return this.inOverlay;
  }

  get maxReplicas(): number {
    return this.o.k;
  }

  setUpcalls(upcalls: KbrUpcalls): void {
    this.upcalls = upcalls;
  }

  route(key: Id, payload: object, bytes: number, category: string): void {
    // A lookup in all but its ending (`sendApp`, not a report) and its messages' type and category.
    this.search("lookup", key, -1, { payload, bytes, category });
  }

  /** The `r` nodes XOR-closest to `key` among us and our contacts, nearest first. */
  replicaSet(key: Id, r: number): Contact[] {
    const k = BigInt(`0x${key}`);
    const near: Peer[] = this.buckets.closest(k, r);
    const ours = this.self.value ^ k;
    let at = near.findIndex((p) => (p.value ^ k) > ours);
    if (at < 0) at = near.length;
    near.splice(at, 0, this.self);
    if (near.length > r) near.length = Math.max(0, r);
    return near;
  }

  /** The k contacts closest to us. */
  neighbours(): readonly Peer[] {
    return (this.neighbourList ??= this.buckets.closest(this.self.value, this.o.k));
  }

  /**
   * A node entered or left our buckets: the neighbour set has changed when it is (or was) among the k closest to
   * us, i.e. fewer than k known nodes are closer. Exact, and worked out only when someone reads the set.
   */
  private readonly membershipChanged = (p: Peer): void => {
    if (this.upcalls === null && this.neighbourList === null) return;
    if (this.buckets.closerToSelf(p, this.o.k) >= this.o.k) return;
    this.neighbourList = null;
    this.upcalls?.neighboursChanged();
  };

  /** The search for `app`'s root has ended: the root is whoever is closest, us included, as for a lookup. */
  private sendApp(s: Search, app: AppRoute, best: Candidate | undefined): void {
    if (best === undefined || (this.self.value ^ s.key) < best.distance) {
      this.upcalls?.deliver(s.keyId, app.payload, this.self, 0);
      return;
    }
    this.upcalls?.forward?.(s.keyId, app.payload, best.peer);
    this.rt.send(best.peer.address, { t: "app", key: s.keyId, payload: app.payload, hops: best.depth, sender: this.self }, SIZE.app(app.bytes), app.category);
  }

  // Iterative lookups

  private search(kind: Kind, keyId: Id, handle: LookupHandle, app: AppRoute | null = null): void {
    const key = BigInt(`0x${keyId}`);
    const s: Search = { kind, app, key, keyId, handle, candidates: new Map(), done: false };
    for (const p of this.buckets.closest(key, this.o.k)) this.consider(s, p, 1);
    const bucket = this.buckets.index({ ...this.self, value: key });
    if (bucket >= 0) this.buckets.used[bucket] = this.rt.now();
    this.advance(s);
  }

  /** A contact named to the search becomes a candidate, unless we are it or it timed out on us lately. */
  private consider(s: Search, p: Peer, depth: number): void {
    if (p.address === this.rt.address || s.candidates.has(p.address) || this.recentlyFailed.has(p.address, this.rt.now())) return;
    s.candidates.set(p.address, { peer: p, distance: p.value ^ s.key, state: "new", depth });
  }

  /** The k closest candidates that have not timed out, nearest first: a contact that timed out leaves it. */
  private shortlist(s: Search): Candidate[] {
    return [...s.candidates.values()]
      .filter((c) => c.state !== "failed" && c.state !== "skipped")
      .sort((a, b) => (a.distance < b.distance ? -1 : a.distance > b.distance ? 1 : 0))
      .slice(0, this.o.k);
  }

  /**
   * Ask the closest unasked candidates of the shortlist until α of its members are waiting for an answer. The
   * search ends, as in the Kademlia paper and p2psim, once every member of the shortlist has answered: requests
   * still out to nodes that closer ones have pushed out of it are not waited for, and a member that times out
   * leaves the shortlist, so the next closest takes its place.
   */
  private advance(s: Search): void {
    if (s.done) return;
    const shortlist = this.shortlist(s);
    let waiting = 0;
    for (const c of shortlist) if (c.state === "asked") waiting++;
    for (const c of shortlist) {
      if (waiting >= this.o.alpha) break;
      if (c.state !== "new") continue;
      c.state = "asked";
      waiting++;
      const category = s.app === null ? CATEGORY[s.kind] : s.app.category;
      const build = s.app === null ? this.findNode : this.appFindNode;
      this.request(c.peer, build, s, SIZE.findNode, category, (m) => this.answered(s, c, m), () => this.failed(s, c));
      const skip = this.seeded?.skipAfter(c.peer.address) ?? Infinity;
      if (skip < this.timeouts.timeout(c.peer.address)) this.rt.setTimer(skip, () => this.skipped(s, c));
    }
    if (shortlist.some((c) => c.state !== "answered")) return;
    s.done = true;
    this.finish(s, shortlist);
  }

  private answered(s: Search, c: Candidate, m: KademliaMessage): void {
    c.state = "answered";
    if (s.done) return;
    if (m.t === "nodes" || m.t === "appNodes") for (const n of m.contacts) this.consider(s, peerOf(n), c.depth + 1);
    this.advance(s);
  }

  /** Silent past the lookup's RTO for it: the next closest takes its place, though a late answer still counts. */
  private skipped(s: Search, c: Candidate): void {
    if (c.state !== "asked") return;
    c.state = "skipped";
    this.advance(s);
  }

  private failed(s: Search, c: Candidate): void {
    c.state = "failed";
    this.advance(s);
  }

  /** The shortlist has all answered (or, empty, everyone failed): its closest member is the answer. */
  private finish(s: Search, shortlist: Candidate[]): void {
    const best = shortlist[0];
    if (s.app !== null) return this.sendApp(s, s.app, best);
    if (s.kind === "join") {
      if (best === undefined && this.buckets.size === 0) return; // the gateway is gone; the join retry will try another
      return this.becomeJoined();
    }
    if (s.kind !== "lookup") return;
    // We are a candidate too: the owner is whoever is closest, us included.
    if (best === undefined || (this.self.value ^ s.key) < best.distance) return this.rt.reportLookup(s.handle, this.rt.id, 0);
    this.rt.reportLookup(s.handle, best.peer.id, best.depth);
  }

  // Requests, replies, and learning from every message

  /** A request, `build(nonce, arg)`, whose silence also removes the node from our buckets. */
  private request<A>(
    peer: Peer,
    build: (nonce: number, arg: A) => Request,
    arg: A,
    bytes: number,
    category: string,
    onReply: (m: KademliaMessage) => void,
    onTimeout: () => void,
  ): void {
    this.requests.send(peer.address, build, arg, bytes, category, onReply, () => {
      this.buckets.remove(peer.address);
      this.recentlyFailed.add(peer.address, this.rt.now());
      onTimeout();
    });
  }

  /** Least-recently-seen eviction: a full bucket pings its oldest node and keeps it if it answers. */
  private heardFrom(sender: Contact): void {
    const p = peerOf(sender);
    const oldest = this.buckets.insert(p, this.rt.now());
    if (oldest === null || this.evicting.has(oldest.address)) return;
    this.evicting.add(oldest.address);
    this.request(
      oldest,
      this.ping,
      undefined,
      SIZE.ping,
      "liveness",
      () => {
        this.evicting.delete(oldest.address);
        this.buckets.touch(oldest, this.rt.now());
      },
      () => {
        this.evicting.delete(oldest.address);
        this.buckets.evict(oldest, p, this.rt.now());
      },
    );
  }

  receive(from: Address, m: KademliaMessage): void {
    this.recentlyFailed.clear(from);
    if (this.inOverlay || m.t === "nodes" || m.t === "appNodes" || m.t === "pong") this.heardFrom(m.sender);
    switch (m.t) {
      case "findNode": {
        const contacts = this.buckets.closest(BigInt(`0x${m.key}`), this.o.k).filter((p) => p.address !== from);
        const coordinate = this.timeouts.coordinate?.() ?? null;
        this.rt.send(
          from,
          { t: "nodes", nonce: m.nonce, contacts, sender: this.self, coordinate },
          SIZE.nodes(contacts.length) + SIZE.coordinate(coordinate),
          CATEGORY[m.kind],
        );
        return;
      }
      case "appFindNode": {
        const contacts = this.buckets.closest(BigInt(`0x${m.key}`), this.o.k).filter((p) => p.address !== from);
        const coordinate = this.timeouts.coordinate?.() ?? null;
        this.rt.send(
          from,
          { t: "appNodes", nonce: m.nonce, contacts, sender: this.self, coordinate },
          SIZE.nodes(contacts.length) + SIZE.coordinate(coordinate),
          m.category,
        );
        return;
      }
      case "app":
        this.upcalls?.deliver(m.key, m.payload, m.sender, m.hops);
        return;
      case "ping": {
        const coordinate = this.timeouts.coordinate?.() ?? null;
        this.rt.send(from, { t: "pong", nonce: m.nonce, sender: this.self, coordinate }, SIZE.ping + SIZE.coordinate(coordinate), "liveness");
        return;
      }
      case "nodes":
      case "appNodes":
      case "pong":
        this.requests.answer(from, m.nonce, m);
        return;
    }
  }
}

